import { useSyncExternalStore } from 'react'
import { canonicalJson } from '../../engine/hash'
import type { EditorServices } from '../services'
import { newGraph, saveCurrent } from './library-actions'
import { shareCurrent } from './share'

/** Whether the open graph differs from the My graphs entry it belongs to (or has none). */
function unsavedState(services: EditorServices): 'none' | 'changed' | 'saved' {
  const { graphs, ui } = services.library
  const entry = ui.currentId ? graphs.get(ui.currentId) : undefined
  if (!entry) return 'none'
  const content = (g: unknown) => {
    const { nodes, edges, name, description } = (g ?? {}) as Record<string, unknown>
    return canonicalJson({ nodes, edges, name, description })
  }
  return content(entry.graph) === content(services.store.doc) ? 'saved' : 'changed'
}

/** The top bar's graph actions: New, the browser, Save (to My graphs) and Share. */
export function LibraryButtons({ services }: { services: EditorServices }) {
  const { graphs, ui } = services.library
  useSyncExternalStore(graphs.subscribe, graphs.getSnapshot)
  useSyncExternalStore(ui.subscribe, ui.getSnapshot)
  useSyncExternalStore(services.store.subscribe, services.store.getSnapshot)
  const saved = unsavedState(services)
  return (
    <>
      <button
        type="button"
        onClick={() => void newGraph(services)}
        title="Start from an empty canvas; a graph with edits is kept in My graphs (Ctrl+Alt+N)"
        data-testid="new-graph"
      >
        New
      </button>
      <button
        type="button"
        onClick={() => ui.openBrowser('examples')}
        title="Examples, My graphs, and comparing two graphs"
        data-testid="graphs-button"
      >
        Graphs
      </button>
      <button
        type="button"
        onClick={() => void saveCurrent(services)}
        title={
          saved === 'none'
            ? 'Save this graph to My graphs, with a name and notes (Ctrl+S)'
            : saved === 'changed'
              ? 'Save the changes to My graphs (Ctrl+S)'
              : 'Saved in My graphs: no changes since'
        }
        data-testid="save-button"
      >
        {saved === 'saved' ? 'Saved' : saved === 'changed' ? 'Save •' : 'Save'}
      </button>
      <button
        type="button"
        onClick={() =>
          void shareCurrent(services).catch((error: unknown) =>
            services.ui.notify(`No link could be made: ${String(error)}`, 'error'),
          )
        }
        title="A link that opens this graph in any browser"
        data-testid="share-button"
      >
        Share
      </button>
    </>
  )
}
