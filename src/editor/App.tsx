import { useCallback, useSyncExternalStore } from 'react'
import { Canvas } from './canvas/Canvas'
import { useShortcuts } from './keyboard'
import { LibraryOverlays } from './library/LibraryOverlays'
import { ModelPanelHost } from './models/ModelPanel'
import { RemoteModelPrompt } from './models/RemoteModelPrompt'
import { HintLine } from './panels/HintLine'
import { Legend } from './panels/Legend'
import { Library } from './panels/Library'
import { NodeMenu } from './panels/NodeMenu'
import { Palette } from './panels/Palette'
import { ProblemsDialog } from './panels/ProblemsDialog'
import { useRemembered } from './panels/remembered'
import { StatusBar } from './panels/StatusBar'
import { Toasts } from './panels/Toasts'
import { TopBar } from './panels/TopBar'
import { LargePreview } from './preview/LargePreview'
import { ListeningRoomHost } from './room/ListeningRoomHost'
import type { EditorServices } from './services'
import { settleView } from './view-helpers'

/** The editor's layout: toolbar, library, canvas with its hints, status bar, and overlays. */
export function App({
  services,
  tidyOnOpen = false,
}: {
  services: EditorServices
  /** Tidy the first graph if its nodes overlap (the bundled default, laid out elsewhere). */
  tidyOnOpen?: boolean
}) {
  const ui = useSyncExternalStore(services.ui.subscribe, services.ui.getSnapshot)
  const { doc } = useSyncExternalStore(services.store.subscribe, services.store.getSnapshot)
  useShortcuts(services)
  const [minimap, setMinimap] = useRemembered('synesthete.minimap', true)
  const onReady = useCallback(() => {
    // Nodes already unfolded stay so: a link read before the canvas was ready unfolds its own.
    if (tidyOnOpen) void settleView(services, services.settings.ids())
    else void services.canvas?.zoomToFit()
  }, [services, tidyOnOpen])
  return (
    <div className="app">
      <TopBar services={services} />
      {/* The room lies over the library and canvas: keys and Tab must not reach them under it. */}
      <div className="workspace" inert={ui.room ?? false}>
        <Library services={services} />
        <main className={minimap ? 'canvas-wrap' : 'canvas-wrap minimap-off'}>
          <Canvas services={services} onReady={onReady} />
          <HintLine
            empty={doc.nodes.length === 0}
            part={ui.partView}
            onShowAll={() => void services.canvas?.zoomToFit()}
          />
          <Legend
            minimap={minimap}
            setMinimap={setMinimap}
            folded={ui.legend === 'auto' || ui.legend === 'folded'}
            setFolded={(folded) => services.ui.set({ legend: folded ? 'folded' : 'open' })}
          />
        </main>
      </div>
      <ListeningRoomHost services={services} open={ui.room ?? false} />
      <StatusBar services={services} saved={ui.saved ?? ''} />
      {ui.palette && (
        <Palette
          key={`${ui.palette.client.x},${ui.palette.client.y}`}
          services={services}
          request={ui.palette}
        />
      )}
      {ui.menu && <NodeMenu services={services} node={ui.menu.node} client={ui.menu.client} />}
      {ui.preview && (
        <LargePreview services={services} node={ui.preview.node} port={ui.preview.port} />
      )}
      {ui.problems && (
        <ProblemsDialog
          ui={services.ui}
          title={ui.problems.title}
          problems={ui.problems.problems}
          text={ui.problems.text}
        />
      )}
      <ModelPanelHost services={services} />
      <RemoteModelPrompt services={services} />
      <LibraryOverlays services={services} />
      <Toasts ui={services.ui} />
    </div>
  )
}
