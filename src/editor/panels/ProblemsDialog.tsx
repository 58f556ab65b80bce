import { downloadBlob } from '../actions'
import type { UiStore } from '../ui-store'
import { useDialog } from './dialog'

/** Lists what is wrong with a graph that could not be opened, naming nodes and fields. */
export function ProblemsDialog(props: {
  ui: UiStore
  title: string
  problems: string[]
  text?: string
}) {
  const { ui, title, problems, text } = props
  const close = () => ui.set({ problems: undefined })
  const dialog = useDialog<HTMLDivElement>(close)
  return (
    <div className="modal-backdrop" onClick={close}>
      <div
        className="dialog"
        role="alertdialog"
        aria-label={title}
        aria-modal
        ref={dialog.ref}
        tabIndex={-1}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={dialog.onKeyDown}
      >
        <h2>{title}</h2>
        <ul className="problem-list">
          {problems.slice(0, 12).map((p, i) => (
            <li key={i}>{p}</li>
          ))}
          {problems.length > 12 && <li>…and {problems.length - 12} more.</li>}
        </ul>
        <div className="dialog-actions">
          {text !== undefined && (
            <button
              type="button"
              onClick={() => downloadBlob(text, 'application/json', 'unreadable-graph.json')}
            >
              Download the unreadable graph
            </button>
          )}
          <button type="button" className="primary" onClick={close} autoFocus>
            OK
          </button>
        </div>
      </div>
    </div>
  )
}
