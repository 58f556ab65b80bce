import type { AnyNodeDefinition } from '../../engine/define-node'
import type { GraphNode } from '../../engine/document'
import type { NodeRun } from '../run/run-store'
import type { EditorServices } from '../services'
import { modelParamsOf } from './apply'
import { describeModelRef } from './model-ref'
import { openModelPanel } from './panel-store'
import { providerSummary, runDetail } from './run-info'
import { paramValue } from '../../engine/params'
import { useOpenSettings } from '../nodes/hooks'

/**
 * Under a model node after a run: which execution provider really ran it (WebGPU or WASM, per
 * network when they differ), and, for the tiny test model, that its picture is noise. All of
 * it read from the node's report on its result, which the cache keeps with the values.
 */
export function ModelRunInfo(props: {
  node: GraphNode
  def: AnyNodeDefinition
  run: NodeRun
  services: EditorServices
}) {
  const { node, def, run, services } = props
  const open = useOpenSettings(services.settings, node.id)
  const params = modelParamsOf(def)
  const settled = run.state === 'done' || run.state === 'cached'
  if (params.length === 0 || !settled) return null
  const report = run.report
  const ran = report?.providers?.length ? report : undefined
  const tiny = report
    ? report.tinyModel === true
    : describeModelRef(String(paramValue(def.params.model, node.params, 'model') ?? '')).kind ===
      'tiny'
  const detail = report ? runDetail(report) : ''
  // The steps, size and why it ran where it did come with the node's settings (the status bar
  // says why too); folded, the node says where it ran.
  const cached = run.state === 'cached' ? ' · from the cache' : ''
  return (
    <div className="node-model-info" data-testid="model-run-info">
      {ran ? (
        <div
          className="model-provider"
          data-testid="model-provider"
          title={open ? undefined : [detail, ran.providerWhy].filter(Boolean).join('\n')}
        >
          Ran on <b>{providerSummary(ran)}</b>
          {open && detail ? ` · ${detail}` : ''}
          {cached}
          {open && ran.providerWhy && (
            <div className="model-provider-why" data-testid="model-provider-why">
              {ran.providerWhy}
            </div>
          )}
        </div>
      ) : (
        run.state === 'cached' && (
          <div className="model-provider">From the cache (where it ran was not recorded)</div>
        )
      )}
      {tiny && (
        <div className="node-model-warning" role="note" data-testid="tiny-warning">
          ⚠ Tiny test model: noise, not a painting.{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => openModelPanel(services, { node: node.id, param: 'model' })}
          >
            Choose a real model…
          </button>
        </div>
      )}
    </div>
  )
}
