import { useCallback, useState, useSyncExternalStore } from 'react'
import { allowModelDownload } from '../../diffusion/browser/model-permissions'
import type { ModelManifest } from '../../diffusion/manifests'
import { findNode } from '../../engine/document'
import { useDialog } from '../panels/dialog'
import type { EditorServices } from '../services'
import { applyModel, nodesWithModelParam, type ModelTarget } from './apply'
import { formatSize } from './format'
import { useBrowserFacts, useStoredModels } from './hooks'
import { KnownModels } from './KnownModels'
import { describeModelRef } from './model-ref'
import { OwnModels } from './OwnModels'
import { modelPanel } from './panel-store'
import { remoteBaseOf } from './remote-models'
import { StoredModels } from './StoredModels'
import type { BrowserFacts } from './hooks'

/** Shown by App: the model panel when something opened it. */
export function ModelPanelHost({ services }: { services: EditorServices }) {
  const panel = modelPanel(services)
  const target = useSyncExternalStore(panel.subscribe, panel.getSnapshot)
  const close = useCallback(() => panel.close(), [panel])
  return target ? <ModelPanel services={services} target={target} close={close} /> : null
}

/** What “Use” does: the model goes into the target node's param (or every such node's). */
export type UseModel = (ref: string, manifest?: ModelManifest) => void

function ModelPanel(props: { services: EditorServices; target: ModelTarget; close: () => void }) {
  const { services, target, close } = props
  const { doc } = useSyncExternalStore(services.store.subscribe, services.store.getSnapshot)
  const candidates = nodesWithModelParam(services, target.param)
  const [everyNode, setEveryNode] = useState(!target.node)
  const [suggested, setSuggested] = useState(true)
  const stored = useStoredModels()
  const facts = useBrowserFacts(stored.models)
  const node = target.node ? findNode(doc, target.node) : undefined
  const current = node ? String(node.params[target.param] ?? '') : undefined
  const nodes = everyNode || !node ? candidates : [node.id]

  // Keys go to the panel, never to the canvas behind it; Escape closes it.
  const dialog = useDialog<HTMLDivElement>(close)

  const use: UseModel = (ref, manifest) => {
    if (nodes.length === 0) {
      services.ui.notify('There is no Stable Diffusion node to use it on: add one first.', 'warn')
      return
    }
    // Choosing a model here is the person's say-so to download it: no prompt follows, and
    // the permission is stored before the edit starts a run that downloads.
    const base = remoteBaseOf(ref)
    void (base ? allowModelDownload(base) : Promise.resolve()).then(() => {
      applyModel(services, ref, nodes, target.param, suggested ? manifest : undefined)
      const where = nodes.length > 1 ? ` on ${nodes.length} nodes` : ''
      services.ui.notify(`Model: ${describeModelRef(ref).label}${where}. Undo with Ctrl+Z.`)
      close()
    })
  }

  return (
    <div className="modal-backdrop" onClick={close}>
      <div
        className="dialog model-panel"
        role="dialog"
        aria-label="Stable Diffusion models"
        aria-modal
        data-testid="model-panel"
        ref={dialog.ref}
        tabIndex={-1}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={dialog.onKeyDown}
      >
        <header className="model-panel-head">
          <h2>Stable Diffusion models</h2>
          <button type="button" className="link-button" onClick={close} aria-label="Close">
            ✕
          </button>
        </header>
        <div className="model-target">
          {node ? (
            <span>
              For <b>{node.label ?? services.registry.get(node.type)?.title ?? node.id}</b> ·{' '}
              {target.param === 'modelB' ? 'Model B' : 'Model'}:{' '}
              {describeModelRef(current ?? '', target.param === 'modelB' ? 'same' : 'tiny').label}
            </span>
          ) : (
            <span>No node chosen: a model you pick goes on every Stable Diffusion node.</span>
          )}
          {node && candidates.length > 1 && (
            <label>
              <input
                type="checkbox"
                checked={everyNode}
                onChange={(e) => setEveryNode(e.target.checked)}
              />{' '}
              on all {candidates.length} Stable Diffusion nodes
            </label>
          )}
          {target.param === 'model' && (
            <label title="Steps, guidance and scheduler as the model's makers suggest">
              <input
                type="checkbox"
                checked={suggested}
                onChange={(e) => setSuggested(e.target.checked)}
              />{' '}
              with its suggested settings
            </label>
          )}
        </div>
        <BrowserLine facts={facts} />
        <div className="model-panel-body">
          {target.param === 'modelB' && (
            <p className="model-same">
              <button type="button" onClick={() => use('')}>
                Use Model A’s model
              </button>{' '}
              for the B steps too (the default).
            </p>
          )}
          <KnownModels facts={facts} stored={stored.models} current={current} use={use} />
          <StoredModels stored={stored} current={current} use={use} />
          <OwnModels use={use} />
        </div>
      </div>
    </div>
  )
}

/** This browser's GPU and storage, as the download checks see them. */
function BrowserLine({ facts }: { facts: BrowserFacts | undefined }) {
  if (!facts) return <div className="model-browser">Asking the browser about its GPU…</div>
  const { gpu, freeBytes } = facts
  const parts = gpu.webgpu
    ? [
        'WebGPU available',
        gpu.shaderF16 ? 'shader-f16 ✓' : 'no shader-f16 (fp16 models run on the CPU)',
        gpu.maxBufferBytes ? `largest GPU buffer ${formatSize(gpu.maxBufferBytes)}` : '',
      ]
    : ['No WebGPU: models run on the CPU (WASM), minutes per picture']
  if (gpu.deviceMemoryGb) parts.push(`about ${gpu.deviceMemoryGb} GB of memory`)
  if (freeBytes !== undefined) parts.push(`${formatSize(freeBytes)} of storage free`)
  return (
    <div className="model-browser" data-testid="model-browser">
      This browser: {parts.filter(Boolean).join(' · ')}
    </div>
  )
}
