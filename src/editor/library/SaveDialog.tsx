import { useState } from 'react'
import type { EditorServices } from '../services'
import { saveAsNew } from './library-actions'
import { Modal } from './Modal'

/** Names a graph the first time it is saved to My graphs. */
export function SaveDialog(props: { services: EditorServices; name: string; notes: string }) {
  const { services } = props
  const [name, setName] = useState(props.name)
  const [notes, setNotes] = useState(props.notes)
  const close = () => services.library.ui.set({ save: undefined })
  const save = () => {
    close()
    void saveAsNew(services, name.trim() || 'Untitled graph', notes.trim())
  }
  return (
    <Modal label="Save to My graphs" onClose={close} testId="save-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          save()
        }}
      >
        <h2>Save to My graphs</h2>
        <p className="dialog-text">
          Kept in this browser. Export it as a file to keep it elsewhere.
        </p>
        <label className="field">
          Name
          <input
            type="text"
            value={name}
            autoFocus
            onChange={(e) => setName(e.target.value)}
            maxLength={200}
          />
        </label>
        <label className="field">
          Notes
          <textarea
            value={notes}
            rows={4}
            placeholder="What this graph does, what to try next…"
            onChange={(e) => setNotes(e.target.value)}
          />
        </label>
        <div className="dialog-actions">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Save
          </button>
        </div>
      </form>
    </Modal>
  )
}
