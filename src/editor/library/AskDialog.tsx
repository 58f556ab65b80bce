import type { AskRequest } from './library-ui'
import { Modal } from './Modal'

/** A question with a few answers; Escape or a click outside answers nothing. */
export function AskDialog({ request }: { request: AskRequest }) {
  return (
    <Modal
      label={request.title}
      onClose={() => request.answer(undefined)}
      role="alertdialog"
      testId="ask-dialog"
      layer="top"
    >
      <h2>{request.title}</h2>
      <p className="dialog-text">{request.message}</p>
      <div className="dialog-actions">
        {request.choices.map((choice) => (
          <button
            key={choice.id}
            type="button"
            className={choice.primary ? 'primary' : undefined}
            autoFocus={choice.primary}
            onClick={() => request.answer(choice.id)}
          >
            {choice.label}
          </button>
        ))}
      </div>
    </Modal>
  )
}
