import type { AnyNodeDefinition } from './define-node'
import { kindOfInput, makesFrames } from './define-node'
import { incomingEdges, type GraphDocument, type GraphNode } from './document'
import { canonicalJson, sha256Hex } from './hash'
import { paramValue, type FileData } from './params'
import type { NodeRegistry } from './registry'
import type { StoredOrFile } from './runner'
import type { FrameWindow } from './values'

/** What a file reference resolves to. */
export interface ResolvedFile {
  name: string
  bytes: Uint8Array
  /**
   * The SHA-256 of `bytes` as hex, when the resolver knows it already (a store that keeps
   * files by their hash, a sample it hashed before): keys then skip hashing the bytes, which
   * for a 3-minute WAV is a long task on the page.
   */
  sha256?: string
}

/** Reads the bytes behind a file reference (`sample:…`, `file:…`, `blob:<hash>`…). */
export type FileResolver = (ref: string) => Promise<ResolvedFile>

/** A node's identity by content: what it is, how it is set, and the keys of what feeds it. */
export interface NodeKey {
  /** Undefined for muted nodes, which never produce anything. */
  key: string | undefined
  /** Key of each output port's value, as consumers see it (bypass forwards its input's). */
  ports: Record<string, string | undefined>
  /** Params ready for `run`, files loaded. */
  params: Record<string, StoredOrFile>
}

/**
 * Computes content keys lazily and memoised for one run. File params are keyed by a hash of
 * their bytes, so renaming a file keeps its cache and editing it in place does not.
 */
export class KeyComputer {
  private readonly memo = new Map<string, Promise<NodeKey>>()
  private readonly byId: Map<string, GraphNode>

  constructor(
    private readonly graph: GraphDocument,
    private readonly registry: NodeRegistry,
    private readonly files: FileResolver,
    /** The window of frames this run makes: part of the key of nodes that start sequences. */
    private readonly frames?: FrameWindow,
  ) {
    this.byId = new Map(graph.nodes.map((n) => [n.id, n]))
  }

  keyOf(id: string): Promise<NodeKey> {
    let promise = this.memo.get(id)
    if (!promise) {
      promise = this.compute(id)
      this.memo.set(id, promise)
    }
    return promise
  }

  private async compute(id: string): Promise<NodeKey> {
    const node = this.byId.get(id)
    const def = node && this.registry.get(node.type)
    if (!node || !def) throw new Error(`Unknown node "${id}"`)
    const { params, hashed } = await this.loadParams(node, def)
    const inputKeys: Record<string, string | undefined> = {}
    for (const [port, edge] of incomingEdges(this.graph, id)) {
      inputKeys[port] = (await this.keyOf(edge.from.node)).ports[edge.from.port]
    }
    if (node.mode === 'mute') return { key: undefined, ports: {}, params }
    if (node.mode === 'bypass')
      return { key: undefined, ports: bypassPorts(def, inputKeys), params }
    const window = this.frames && makesFrames(def) ? { frames: this.frames } : {}
    const key = await sha256Hex(
      canonicalJson({
        type: def.type,
        version: def.version,
        params: hashed,
        inputs: inputKeys,
        ...window,
      }),
    )
    const ports = Object.fromEntries(Object.keys(def.outputs).map((p) => [p, `${key}:${p}`]))
    return { key, ports, params }
  }

  private async loadParams(
    node: GraphNode,
    def: AnyNodeDefinition,
  ): Promise<{ params: Record<string, StoredOrFile>; hashed: Record<string, unknown> }> {
    const params: Record<string, StoredOrFile> = {}
    const hashed: Record<string, unknown> = {}
    for (const [name, spec] of Object.entries(def.params)) {
      const stored = paramValue(spec, node.params, name)
      if (spec.type !== 'file') {
        params[name] = stored
        hashed[name] = stored
        continue
      }
      const ref = String(stored)
      if (ref === '') {
        params[name] = null
        hashed[name] = null
        continue
      }
      const { name: fileName, bytes, sha256 } = await this.files(ref)
      const file: FileData = { ref, name: fileName, bytes }
      params[name] = file
      hashed[name] = { sha256: sha256 ?? (await sha256Hex(bytes)) }
    }
    return { params, hashed }
  }
}

/**
 * Bypass forwards, for each output, the first connected input of the same kind (as ComfyUI's
 * bypass does); an output with no such input has nothing to give.
 */
export function bypassPorts<T>(
  def: AnyNodeDefinition,
  inputs: Record<string, T | undefined>,
): Record<string, T | undefined> {
  const out: Record<string, T | undefined> = {}
  for (const [port, kind] of Object.entries(def.outputs)) {
    const source = Object.entries(def.inputs).find(
      ([name, spec]) => kindOfInput(spec) === kind && inputs[name] !== undefined,
    )
    out[port] = source ? inputs[source[0]] : undefined
  }
  return out
}
