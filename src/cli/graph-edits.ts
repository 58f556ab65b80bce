import { closeSync, openSync, readSync } from 'node:fs'
import { basename } from 'node:path'
import { fileParamOf } from '../engine/define-node'
import { findNode, type GraphDocument } from '../engine/document'
import { paramProblem, parseParamText } from '../engine/params'
import type { NodeRegistry } from '../engine/registry'
import { HEAD_BYTES, notReadBy } from '../media/file-gate'
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
    const param = def && fileParamOf(def)
    if (!param) throw new Error(`--input: node "${id}" (${node.type}) takes no file.`)
    // The node's definition judges the file from its first bytes, as a drop in the editor does.
    const head = def.accepts && headOf(file)
    const refused = head && notReadBy(def, basename(file), head)
    if (refused) throw new Error(`--input ${id}=${file}: ${refused}`)
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

/**
 * A file's first bytes (HEAD_BYTES, or all of a smaller file); undefined when it cannot be read,
 * which the run then reports in words (missing, a folder, no permission).
 */
function headOf(path: string): Uint8Array | undefined {
  let fd: number | undefined
  try {
    fd = openSync(path, 'r')
    const head = new Uint8Array(HEAD_BYTES)
    return head.subarray(0, readSync(fd, head, 0, HEAD_BYTES, 0))
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
