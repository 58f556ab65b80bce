import { useSyncExternalStore } from 'react'
import { LibraryButtons } from '../library/LibraryButtons'
import { ListenButton } from '../room/ListenButton'
import type { EditorServices } from '../services'

/** Title, graph actions (browser, save, share), undo/redo, view actions, and the run controls. */
export function TopBar({ services }: { services: EditorServices }) {
  const { store, controller } = services
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot)
  useSyncExternalStore(controller.subscribe, () => `${controller.running}:${controller.auto}`)
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden>
          ◐
        </span>{' '}
        Synesthete
      </div>
      <div className="graph-name" title="The graph’s name">
        {snapshot.doc.name ?? 'Untitled graph'}
      </div>
      <nav className="toolbar" aria-label="Graph">
        <LibraryButtons services={services} />
        <span className="sep" />
        <button
          type="button"
          disabled={!snapshot.canUndo}
          onClick={() => store.undo()}
          title={snapshot.undoLabel ? `Undo ${snapshot.undoLabel} (Ctrl+Z)` : 'Nothing to undo'}
          data-testid="undo"
        >
          ↶ <span className="narrow-hidden">Undo</span>
        </button>
        <button
          type="button"
          disabled={!snapshot.canRedo}
          onClick={() => store.redo()}
          title={
            snapshot.redoLabel ? `Redo ${snapshot.redoLabel} (Ctrl+Shift+Z)` : 'Nothing to redo'
          }
          data-testid="redo"
        >
          ↷ <span className="narrow-hidden">Redo</span>
        </button>
        <span className="sep" />
        <button
          type="button"
          onClick={() => void services.canvas?.zoomToFit()}
          title="Show the whole graph (F)"
        >
          Fit
        </button>
        <button
          type="button"
          onClick={() => void services.canvas?.arrange()}
          title="Tidy up the layout"
        >
          Tidy
        </button>
        <ListenButton services={services} />
      </nav>
      <div className="run-controls">
        <label className="auto-toggle" title="Re-run what an edit affects, as soon as you make it">
          <input
            type="checkbox"
            checked={controller.auto}
            onChange={(e) => controller.setAuto(e.target.checked)}
            data-testid="auto-run"
          />
          Auto-run
        </label>
        <button
          type="button"
          className="stop-button"
          disabled={!controller.running}
          onClick={() => controller.stop()}
          title="Stop the run"
          data-testid="stop"
        >
          ■ Stop
        </button>
        <button
          type="button"
          className="run-button"
          onClick={() => void controller.run()}
          title="Run the whole graph (Ctrl+Enter). Only what changed is computed again."
          data-testid="run"
        >
          ▶ Run
        </button>
      </div>
    </header>
  )
}
