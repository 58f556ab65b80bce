import type { AnyNodeDefinition } from '../../engine/define-node'
import type { ModelManifest } from '../../diffusion/manifests'
import type { GraphOp } from '../store/operations'
import type { EditorServices } from '../services'
import { describeModelRef } from './model-ref'

/** Which param of which node the model panel fills in (no node: the person chooses). */
export interface ModelTarget {
  node?: string
  /** A text param with `widget: 'model'` ('model' or 'modelB' on Stable Diffusion). */
  param: string
}

/** The params of a definition that name a model (`widget: 'model'`). */
export function modelParamsOf(def: AnyNodeDefinition | undefined): string[] {
  if (!def) return []
  return Object.entries(def.params)
    .filter(([, spec]) => spec.type === 'text' && spec.widget === 'model')
    .map(([name]) => name)
}

/** Nodes of the open graph that have this model param, in document order. */
/** What these helpers need of the editor (tests pass just a store and a registry). */
type Editor = Pick<EditorServices, 'store' | 'registry'>

export function nodesWithModelParam(services: Editor, param: string): string[] {
  return services.store.doc.nodes
    .filter((n) => modelParamsOf(services.registry.get(n.type)).includes(param))
    .map((n) => n.id)
}

/** The node the panel should fill when opened without one: the selected one, or the only one. */
export function defaultTargetNode(
  services: Editor & Pick<EditorServices, 'canvas'>,
  param: string,
): string | undefined {
  const candidates = nodesWithModelParam(services, param)
  const selected = services.canvas?.selected().filter((id) => candidates.includes(id)) ?? []
  if (selected.length > 0) return selected[0]
  return candidates.length === 1 ? candidates[0] : undefined
}

/**
 * Sets the model on `nodes` as one undoable edit (autosaved like any other). With a manifest
 * and `suggested`, also its steps, guidance and scheduler, where the node has those params.
 */
export function applyModel(
  services: Editor,
  ref: string,
  nodes: readonly string[],
  param: string,
  suggested?: ModelManifest,
): boolean {
  const ops: GraphOp[] = []
  for (const node of nodes) {
    ops.push({ type: 'setParam', node, param, value: ref })
    const type = services.store.doc.nodes.find((n) => n.id === node)?.type
    const def = type ? services.registry.get(type) : undefined
    if (!suggested || param !== 'model' || !def) continue
    const settings = {
      steps: suggested.steps,
      guidance: suggested.guidance,
      scheduler: suggested.scheduler,
    }
    for (const [name, value] of Object.entries(settings)) {
      if (name in def.params) ops.push({ type: 'setParam', node, param: name, value })
    }
  }
  const label = describeModelRef(ref).label
  const where = nodes.length > 1 ? ` on ${nodes.length} nodes` : ''
  return services.store.dispatch(ops, { label: `choose model ${label}${where}` })
}
