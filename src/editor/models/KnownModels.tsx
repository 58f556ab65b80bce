import { useState } from 'react'
import type { StoredModel } from '../../diffusion/browser/model-store'
import { MANIFESTS, planDownload, type ModelManifest } from '../../diffusion/manifests'
import { DownloadProgress } from './DownloadProgress'
import { downloads } from './downloads'
import { formatSize } from './format'
import { useDownload, type BrowserFacts } from './hooks'
import { shortName, storedKeyOf, TINY_NOTE } from './model-ref'
import type { UseModel } from './ModelPanel'

/** The bundled tiny model and the known public models, with what each would mean here. */
export function KnownModels(props: {
  facts: BrowserFacts | undefined
  stored: StoredModel[]
  current: string | undefined
  use: UseModel
}) {
  const { facts, stored, current, use } = props
  const isCurrent = (ref: string) => current !== undefined && current.trim() === ref
  return (
    <section>
      <h3>Ready to use</h3>
      <ul className="model-list">
        <li className="model-row" data-model="tiny">
          <div className="model-main">
            <div className="model-name">
              Tiny test model <span className="model-tags">fp32 · bundled · about 0.1 MB</span>
              {(isCurrent('tiny') || current === '') && (
                <span className="model-current">in use</span>
              )}
            </div>
            <div className="model-warning">⚠ {TINY_NOTE}</div>
          </div>
          <div className="model-actions">
            {/* Named with its model (every row has one), and idle on the model in use. */}
            <button
              type="button"
              aria-label="Use Tiny test model"
              disabled={isCurrent('tiny') || current === ''}
              title={isCurrent('tiny') || current === '' ? 'The node uses it already' : undefined}
              onClick={() => use('tiny')}
            >
              Use
            </button>
          </div>
        </li>
      </ul>
      <h3>Known models (downloaded once, then kept in this browser)</h3>
      <ul className="model-list">
        {MANIFESTS.map((m) => (
          <ManifestRow
            key={m.id}
            manifest={m}
            facts={facts}
            stored={stored.find((s) => s.key === storedKeyOf(m.id))}
            current={isCurrent(m.id)}
            use={use}
          />
        ))}
      </ul>
    </section>
  )
}

function ManifestRow(props: {
  manifest: ModelManifest
  facts: BrowserFacts | undefined
  stored: StoredModel | undefined
  current: boolean
  use: UseModel
}) {
  const { manifest, facts, stored, current, use } = props
  const state = useDownload(manifest.id)
  const [confirming, setConfirming] = useState(false)
  const plan = facts ? planDownload(manifest, facts.gpu) : undefined
  const total = plan?.totalBytes ?? manifest.files.reduce((n, f) => n + f.bytes, 0)
  const complete = (stored && !stored.partial) || state?.status === 'done'
  const missing = Math.max(0, total - (stored?.bytes ?? 0))
  const noRoom = facts?.freeBytes !== undefined && !complete && missing > facts.freeBytes
  // planDownload repeats the notes when the model does not fit; the notes are shown already.
  const warnings = (plan?.warnings ?? []).map((w) =>
    w.startsWith(`${manifest.name} does not fit`)
      ? 'Does not fit in a browser; it runs from the command line (npm run render … --model).'
      : w,
  )
  if (noRoom && facts?.freeBytes !== undefined) {
    warnings.push(
      `Not enough storage: ${formatSize(missing)} more is needed, ${formatSize(facts.freeBytes)} is free.`,
    )
  }
  const refused = !manifest.browser || noRoom
  const busy = state?.status === 'downloading'
  const start = () => {
    setConfirming(false)
    void downloads.start(manifest.id)
  }
  return (
    <li className="model-row" data-model={manifest.id}>
      <div className="model-main">
        <div className="model-name" title={manifest.name}>
          {shortName(manifest)}{' '}
          <span className="model-tags">
            {manifest.precision} · ≈ {formatSize(total)} · {manifest.steps}{' '}
            {manifest.steps === 1 ? 'step' : 'steps'}
          </span>
          {current && <span className="model-current">in use</span>}
        </div>
        <div className="model-notes model-notes-clamp" title={manifest.notes}>
          {manifest.notes}
        </div>
        {plan && warnings.length === 0 && (
          <div className="model-ok">
            ✓ Runs on {plan.provider === 'webgpu' ? 'WebGPU' : 'WASM'} here.
          </div>
        )}
        {warnings.map((w) => (
          <div key={w} className={refused ? 'model-problem' : 'model-warning'}>
            ⚠ {w}
          </div>
        ))}
        <div className="model-stored">
          {complete
            ? `Downloaded: ${formatSize(stored?.bytes ?? state?.loaded ?? 0)} in this browser.`
            : stored
              ? `${formatSize(stored.bytes)} downloaded so far: Resume continues from there.`
              : 'Not downloaded: the node would download it when it first runs.'}
        </div>
        {state && <DownloadProgress state={state} onCancel={() => downloads.cancel(manifest.id)} />}
        {confirming && (
          <div className="model-confirm" role="alertdialog" aria-label="Download anyway?">
            Download {formatSize(missing)} although{' '}
            {plan?.provider === 'wasm'
              ? 'it would run on the CPU (WASM) here'
              : 'of the warning above'}
            ?{' '}
            <button type="button" onClick={start}>
              Download anyway
            </button>{' '}
            <button type="button" onClick={() => setConfirming(false)}>
              Not now
            </button>
          </div>
        )}
      </div>
      <div className="model-actions">
        {!complete && !busy && (
          <button
            type="button"
            disabled={refused || !plan}
            title={refused ? warnings.join('\n') : `Download ${formatSize(missing)} now`}
            onClick={() => (warnings.length > 0 ? setConfirming(true) : start())}
          >
            {stored || state?.status === 'paused' || state?.status === 'failed'
              ? 'Resume'
              : 'Download'}
          </button>
        )}
        <button
          type="button"
          aria-label={`Use ${shortName(manifest)}`}
          disabled={!manifest.browser || !!current}
          title={
            current
              ? 'The node uses it already'
              : manifest.browser
                ? complete
                  ? 'Use it on the node'
                  : 'Use it on the node; it downloads when the node runs'
                : 'It does not fit in a browser (it works on the command line)'
          }
          onClick={() => use(manifest.id, manifest)}
        >
          Use
        </button>
      </div>
    </li>
  )
}
