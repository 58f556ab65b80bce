import { useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import {
  allowModelDownload,
  isModelDownloadAllowed,
} from '../../diffusion/browser/model-permissions'
import { useDialog } from '../panels/dialog'
import type { EditorServices } from '../services'
import { formatSize } from './format'
import { remoteModelsIn, type RemoteModel } from './remote-models'

/**
 * Asks before the open graph downloads a model: a document or share link may name any server,
 * and nothing is fetched from it until the person allows it here (or chooses the model in the
 * model panel). Until then the node says what it waits for; "Not now" leaves it so.
 */
export function RemoteModelPrompt({ services }: { services: EditorServices }) {
  const { doc } = useSyncExternalStore(services.store.subscribe, services.store.getSnapshot)
  const wanted = useMemo(() => remoteModelsIn(doc, services.registry), [doc, services.registry])
  const [declined, setDeclined] = useState<ReadonlySet<string>>(new Set())
  const [pending, setPending] = useState<RemoteModel[]>([])
  useEffect(() => {
    let live = true
    void (async () => {
      const ask: RemoteModel[] = []
      for (const model of wanted)
        if (!declined.has(model.base) && !(await isModelDownloadAllowed(model.base)))
          ask.push(model)
      if (live) setPending(ask)
    })()
    return () => {
      live = false
    }
  }, [wanted, declined])

  const model = pending[0]
  if (!model) return null
  const decline = () => setDeclined(new Set([...declined, model.base]))
  const allow = async () => {
    await allowModelDownload(model.base)
    setPending(pending.slice(1))
    void services.controller.run(model.nodes)
  }
  return <PromptDialog key={model.base} model={model} decline={decline} allow={allow} />
}

function PromptDialog(props: {
  model: RemoteModel
  decline: () => void
  allow: () => Promise<void>
}) {
  const { model, decline, allow } = props
  // Escape is "Not now"; keys stay in the dialog, never reaching the canvas behind.
  const dialog = useDialog<HTMLDivElement>(decline)
  const nodes = model.nodes.map((id) => `“${id}”`).join(', ')
  return (
    <div className="modal-backdrop">
      <div
        className="dialog"
        role="alertdialog"
        aria-label={`Download a model from ${model.host}?`}
        aria-modal
        data-testid="remote-model-prompt"
        ref={dialog.ref}
        tabIndex={-1}
        onKeyDown={dialog.onKeyDown}
      >
        <h2>Download a model from {model.host}?</h2>
        <p>
          This graph’s {model.nodes.length > 1 ? `nodes ${nodes} use` : `node ${nodes} uses`} a
          Stable Diffusion model at <code data-testid="remote-model-url">{model.base}</code>.
          Nothing has been fetched from{' '}
          <strong data-testid="remote-model-host">{model.host}</strong> yet.
        </p>
        <p data-testid="remote-model-size">
          {model.bytes
            ? `The download is about ${formatSize(model.bytes)}; it is kept in this browser.`
            : 'Its size is not known until the download starts; it is kept in this browser.'}
        </p>
        <div className="dialog-actions">
          <button type="button" data-testid="remote-model-decline" onClick={decline}>
            Not now
          </button>
          <button
            type="button"
            className="primary"
            data-testid="remote-model-allow"
            onClick={() => void allow()}
          >
            Download from {model.host}
          </button>
        </div>
      </div>
    </div>
  )
}
