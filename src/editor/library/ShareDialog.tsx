import { useState } from 'react'
import type { EditorServices } from '../services'
import { Modal } from './Modal'

/**
 * The link to the open graph, to copy, with whether it is copied already (a status beside the
 * link, not one of the notes) and what it does not carry.
 */
export function ShareDialog(props: {
  services: EditorServices
  url: string
  copied: boolean
  notes: string[]
}) {
  const { services, url, notes } = props
  const [copied, setCopied] = useState(props.copied)
  const close = () => services.library.ui.set({ share: undefined })
  const copy = () =>
    void navigator.clipboard
      .writeText(url)
      .then(() => setCopied(true))
      .catch(() =>
        services.ui.notify('The browser refused to copy: select the link and copy it.', 'warn'),
      )
  return (
    <Modal label="Share this graph" onClose={close} testId="share-dialog">
      <h2>Share this graph</h2>
      <p className="dialog-text">
        Whoever opens this link gets this graph, in any browser. The graph is inside the link itself
        ({url.length.toLocaleString('en')} characters): nothing is uploaded anywhere.
      </p>
      <div className="share-row">
        <input
          type="text"
          readOnly
          value={url}
          aria-label="Link to this graph"
          data-testid="share-url"
          onFocus={(e) => e.target.select()}
        />
        <button type="button" onClick={copy} data-testid="share-copy">
          {copied ? 'Copy again' : 'Copy link'}
        </button>
      </div>
      <p className="dialog-text share-copied" role="status" data-testid="share-copied">
        {copied ? 'Copied to the clipboard: paste it in a message or a browser.' : ''}
      </p>
      {notes.length > 0 && (
        <ul className="problem-list share-notes">
          {notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={close} autoFocus>
          Done
        </button>
      </div>
    </Modal>
  )
}
