import { useEffect } from 'react'
import type { AnyNodeDefinition } from '../../engine/define-node'
import type { GraphNode } from '../../engine/document'
import type { NodeRun } from '../run/run-store'
import type { EditorServices } from '../services'
import { modelParamsOf } from './apply'
import { describeModelRef } from './model-ref'
import { openModelPanel } from './panel-store'
import { parseRunMessage, providerSummary, recallRunMessage, rememberRunMessage } from './run-info'
import { paramValue } from '../../engine/params'

/**
 * Under a model node after a run: which execution provider really ran it (WebGPU or WASM, per
 * network when they differ), and, for the tiny test model, that its picture is noise.
 */
export function ModelRunInfo(props: {
  node: GraphNode
  def: AnyNodeDefinition
  run: NodeRun
  services: EditorServices
}) {
  const { node, def, run, services } = props
  useEffect(() => {
    if (run.state === 'done') rememberRunMessage(run.key, run.message)
  }, [run])
  const params = modelParamsOf(def)
  const settled = run.state === 'done' || run.state === 'cached'
  if (params.length === 0 || !settled) return null
  const message = run.state === 'done' ? run.message : recallRunMessage(run.key)
  const info = parseRunMessage(message)
  const tiny = info
    ? info.tiny
    : describeModelRef(String(paramValue(def.params.model, node.params, 'model') ?? '')).kind ===
      'tiny'
  const cached = run.state === 'cached' ? ' · from the cache' : ''
  return (
    <div className="node-model-info" data-testid="model-run-info">
      {info ? (
        <div className="model-provider" data-testid="model-provider" title={message}>
          Ran on <b>{providerSummary(info)}</b>
          {info.detail ? ` · ${info.detail}` : ''}
          {cached}
          {info.why && (
            <div className="model-provider-why" data-testid="model-provider-why">
              {info.why}
            </div>
          )}
        </div>
      ) : (
        run.state === 'cached' && (
          <div className="model-provider">From the cache (computed in an earlier visit)</div>
        )
      )}
      {tiny && (
        <div className="node-model-warning" role="note" data-testid="tiny-warning">
          ⚠ Tiny test model: this picture is noise, not a painting.{' '}
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
