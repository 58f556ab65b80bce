import { useMemo, useSyncExternalStore } from 'react'
import { bundledPresets } from '../presets'
import type { EditorServices } from '../services'
import { CompareView } from './CompareView'
import type { BrowserTab, LibraryUiState } from './library-ui'
import { Modal } from './Modal'
import { MyGraphs } from './MyGraphs'
import { PresetCards } from './PresetCards'

const TABS: { id: BrowserTab; label: string }[] = [
  { id: 'examples', label: 'Examples' },
  { id: 'mine', label: 'My graphs' },
  { id: 'compare', label: 'Compare' },
]

/** The examples, My graphs and the comparison of two graphs, in one place. */
export function GraphBrowser(props: {
  services: EditorServices
  state: NonNullable<LibraryUiState['browser']>
}) {
  const { services, state } = props
  const { ui, graphs } = services.library
  const presets = useMemo(() => bundledPresets(services.registry).presets, [services])
  const count = useSyncExternalStore(graphs.subscribe, () => graphs.getSnapshot().entries.length)
  useSyncExternalStore(services.store.subscribe, services.store.getSnapshot)
  const close = () => ui.set({ browser: undefined })
  return (
    <Modal
      label="Graphs"
      onClose={close}
      className="graph-browser"
      testId="graph-browser"
      layer="under"
    >
      <header className="browser-head">
        <h2>Graphs</h2>
        <nav className="browser-tabs" role="tablist">
          {TABS.map((tab) => (
            <button
              key={tab.id}
              type="button"
              role="tab"
              aria-selected={state.tab === tab.id}
              className={state.tab === tab.id ? 'tab tab-active' : 'tab'}
              onClick={() => ui.set({ browser: { ...state, tab: tab.id, highlight: undefined } })}
            >
              {tab.label}
              {tab.id === 'mine' && count > 0 ? ` (${count})` : ''}
            </button>
          ))}
        </nav>
        <span className="spacer" />
        <button type="button" onClick={close} aria-label="Close" className="close-button">
          ✕
        </button>
      </header>
      <div className="browser-body">
        {state.tab === 'examples' && <PresetCards services={services} presets={presets} />}
        {state.tab === 'mine' && <MyGraphs services={services} highlight={state.highlight} />}
        {state.tab === 'compare' && (
          <CompareView services={services} presets={presets} pair={state.compare} />
        )}
      </div>
    </Modal>
  )
}
