import { findNode, type GraphDocument } from '../engine/document'
import { paramProblem, parseParamText } from '../engine/params'
import type { NodeRegistry } from '../engine/registry'
import { invocationDir, type RenderArgs } from './args'
import { applyModelFlags } from './models-flags'

/** Applies --input, --set, --bypass, --model and --model-b to a copy of the graph. */
export function applyCommandLine(
  graph: GraphDocument,
  args: Pick<RenderArgs, 'inputs' | 'sets' | 'bypass' | 'model' | 'modelB'>,
  registry: NodeRegistry,
): GraphDocument {
  const edited = structuredClone(graph)
  const nodeOf = (id: string, flag: string) => {
    const node = findNode(edited, id)
    if (!node) {
      const ids = edited.nodes.map((n) => n.id).join(', ')
      throw new Error(`${flag}: the graph has no node "${id}". Its nodes are: ${ids}.`)
    }
    return { node, def: registry.get(node.type) }
  }
  for (const { node: id, file } of args.inputs) {
    const { node, def } = nodeOf(id, '--input')
    const param = Object.entries(def?.params ?? {}).find(([, spec]) => spec.type === 'file')?.[0]
    if (!param) throw new Error(`--input: node "${id}" (${node.type}) takes no file.`)
    node.params[param] = `file:${file}`
  }
  for (const { node: id, param, value } of args.sets) {
    const { node, def } = nodeOf(id, '--set')
    const spec = def?.params[param]
    if (!spec) {
      const names = Object.keys(def?.params ?? {}).join(', ')
      throw new Error(
        `--set: node "${id}" (${node.type}) has no param "${param}". Its params are: ${names}.`,
      )
    }
    let parsed: ReturnType<typeof parseParamText>
    try {
      parsed = parseParamText(spec, value)
    } catch (error) {
      throw new Error(`--set ${id}.${param}: ${(error as Error).message}`)
    }
    const problem = paramProblem(spec, parsed)
    if (problem) throw new Error(`--set ${id}.${param}=${value}: the value ${problem}.`)
    node.params[param] = parsed
  }
  for (const id of args.bypass) nodeOf(id, '--bypass').node.mode = 'bypass'
  applyModelFlags(edited, args, registry, invocationDir())
  return edited
}
