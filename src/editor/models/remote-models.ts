import { findManifest } from '../../diffusion/manifests'
import type { GraphDocument } from '../../engine/document'
import type { NodeRegistry } from '../../engine/registry'
import { modelParamsOf } from './apply'

/** A model the open graph would download, and what the prompt says about it. */
export interface RemoteModel {
  /** The base address files are fetched under, ending in '/'. */
  base: string
  host: string
  /** Total download in bytes, when a manifest says (a bare URL's size is unknown). */
  bytes?: number
  /** The nodes that use it. */
  nodes: string[]
}

/** The download address a model param names, if it names one ('tiny' and folders do not). */
export function remoteBaseOf(ref: string): string | undefined {
  const value = ref.trim()
  const base = findManifest(value)?.baseUrl ?? (/^https?:\/\//i.test(value) ? value : undefined)
  if (!base) return undefined
  return base.endsWith('/') ? base : `${base}/`
}

/** Every model the graph's model params would download, in document order. */
export function remoteModelsIn(doc: GraphDocument, registry: NodeRegistry): RemoteModel[] {
  const found = new Map<string, RemoteModel>()
  for (const node of doc.nodes) {
    for (const param of modelParamsOf(registry.get(node.type))) {
      const ref = String(node.params[param] ?? '')
      const base = remoteBaseOf(ref)
      if (!base) continue
      const known = found.get(base)
      if (known) {
        if (!known.nodes.includes(node.id)) known.nodes.push(node.id)
        continue
      }
      const manifest = findManifest(ref.trim())
      let host = base
      try {
        host = new URL(base).host
      } catch {
        // an unparsable address is named whole
      }
      const bytes = manifest?.files.reduce((n, f) => n + f.bytes, 0)
      found.set(base, { base, host, bytes, nodes: [node.id] })
    }
  }
  return [...found.values()]
}
