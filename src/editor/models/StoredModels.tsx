import { useState } from 'react'
import { deleteStoredModel, hasOpfs, type StoredModel } from '../../diffusion/browser/model-store'
import { findManifest, MANIFESTS } from '../../diffusion/manifests'
import { DownloadProgress } from './DownloadProgress'
import { downloads } from './downloads'
import { formatSize } from './format'
import { useDownload } from './hooks'
import { rememberedModelUrls, shortName, shortUrl, storedKeyOf } from './model-ref'
import type { UseModel } from './ModelPanel'

/** The ref (manifest id or URL) a stored folder belongs to, when this browser knows it. */
function refOfKey(key: string): string | undefined {
  const refs = [...MANIFESTS.map((m) => m.id), ...rememberedModelUrls()]
  return refs.find((ref) => storedKeyOf(ref) === key)
}

/**
 * Whether a stored model can run: no file still downloading, and every file its manifest
 * lists (a model from a URL: at least its UNet) there. A download that failed before its first
 * byte leaves an empty folder, which is no model.
 */
export function isCompleteModel(model: StoredModel, ref: string | undefined): boolean {
  if (model.partial || model.files.length === 0) return false
  const manifest = ref ? findManifest(ref) : undefined
  const needed = manifest ? manifest.files.map((f) => f.path) : ['unet/model.onnx']
  return needed.every((path) => model.files.includes(path))
}

/** Models kept in this browser's storage: their size, Use, Resume and Delete. */
export function StoredModels(props: {
  stored: { models: StoredModel[]; refresh: () => void }
  current: string | undefined
  use: UseModel
}) {
  const { stored, current, use } = props
  if (!hasOpfs()) {
    return (
      <section>
        <h3>Stored in this browser</h3>
        <p className="model-notes">
          This browser gives the page no private file storage: downloaded models are fetched again
          on every visit.
        </p>
      </section>
    )
  }
  const complete = stored.models.filter((m) => isCompleteModel(m, refOfKey(m.key)))
  const incomplete = stored.models.filter((m) => !complete.includes(m))
  const total = complete.reduce((n, m) => n + m.bytes, 0)
  const row = (m: StoredModel) => (
    <StoredRow key={m.key} model={m} current={current} use={use} refresh={stored.refresh} />
  )
  return (
    <section>
      <h3>Stored in this browser{complete.length > 0 ? ` · ${formatSize(total)} in all` : ''}</h3>
      {complete.length === 0 ? (
        <p className="model-notes">Nothing yet: downloaded models appear here.</p>
      ) : (
        <ul className="model-list" data-testid="stored-models">
          {complete.map(row)}
        </ul>
      )}
      {incomplete.length > 0 && (
        <>
          <h3>Downloads not finished</h3>
          <ul className="model-list" data-testid="incomplete-models">
            {incomplete.map(row)}
          </ul>
        </>
      )}
    </section>
  )
}

function StoredRow(props: {
  model: StoredModel
  current: string | undefined
  use: UseModel
  refresh: () => void
}) {
  const { model, current, use, refresh } = props
  const ref = refOfKey(model.key)
  const manifest = ref ? findManifest(ref) : undefined
  const state = useDownload(ref ?? '')
  const [confirming, setConfirming] = useState(false)
  const label = manifest ? shortName(manifest) : ref ? shortUrl(ref) : model.key
  const busy = state?.status === 'downloading'
  const complete = isCompleteModel(model, ref)
  const remove = async () => {
    setConfirming(false)
    if (ref) downloads.cancel(ref)
    await deleteStoredModel(model.key)
    refresh()
  }
  return (
    <li className="model-row" data-stored={model.key}>
      <div className="model-main">
        <div className="model-name" title={ref ?? model.key}>
          {label}{' '}
          {complete ? (
            <span className="model-tags">{formatSize(model.bytes)}</span>
          ) : (
            !busy && (
              <span className="model-partial">
                incomplete: {formatSize(model.bytes)} so far, it cannot run yet
              </span>
            )
          )}
          {ref !== undefined && current?.trim() === ref && (
            <span className="model-current">in use</span>
          )}
        </div>
        {state && ref && !manifest && (
          <DownloadProgress state={state} onCancel={() => downloads.cancel(ref)} />
        )}
        {confirming && (
          <div className="model-confirm" role="alertdialog" aria-label="Delete this model?">
            Delete {formatSize(model.bytes)} from this browser? Graphs that use it will download it
            again.{' '}
            <button type="button" className="danger" onClick={() => void remove()}>
              Delete
            </button>{' '}
            <button type="button" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </div>
        )}
      </div>
      <div className="model-actions">
        {ref && !complete && !busy && (
          <button type="button" onClick={() => void downloads.start(ref)}>
            Resume
          </button>
        )}
        {ref && complete && (
          <button type="button" onClick={() => use(ref, manifest)} aria-label={`Use ${label}`}>
            Use
          </button>
        )}
        <button type="button" onClick={() => setConfirming(true)} aria-label={`Delete ${label}`}>
          Delete
        </button>
      </div>
    </li>
  )
}
