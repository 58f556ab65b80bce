/**
 * The provenance record: what made an output (which node, the SHA-256 of each source file, the
 * model ids, the seeds). It is engine knowledge (graph, params, file hashes); src/media embeds it
 * in PNG and WAV files, and node definitions receive it when they export (`ExportContext`).
 */

import { z } from 'zod'
import { ancestorsOf, type GraphDocument } from './document'
import { sha256Hex } from './hash'
import type { FileResolver } from './keys'
import { paramValue } from './params'
import type { NodeRegistry } from './registry'
import { DOCUMENT_LIMITS } from './validate'

export const PROVENANCE_FORMAT = 'synesthete-provenance'

const shortText = z.string().max(2000)
export const provenanceSchema = z.object({
  format: z.literal(PROVENANCE_FORMAT),
  version: z.literal(1),
  app: shortText,
  createdAt: shortText,
  /** The node whose output this file is. */
  output: shortText.optional(),
  sources: z
    .array(
      z.object({
        node: shortText,
        param: shortText,
        ref: shortText,
        name: shortText,
        sha256: z
          .string()
          .regex(/^[0-9a-f]{64}$/)
          .optional(),
      }),
    )
    .max(DOCUMENT_LIMITS.nodes),
  models: z.array(z.object({ node: shortText, param: shortText, model: shortText })).max(2000),
  seeds: z.array(z.object({ node: shortText, param: shortText, seed: z.number() })).max(2000),
})

export type ProvenanceRecord = z.infer<typeof provenanceSchema>

/** Text params that name a model: `model`, `modelB`… (as the Stable Diffusion node has them). */
const isModelParam = (key: string): boolean => /^model($|[A-Z0-9_])/.test(key)

/**
 * The record for a file written by `output` (all of the graph when undefined): only nodes that
 * feed it and actually run (not bypassed or muted) are listed. Source files are hashed through
 * `files`; a `blob:` reference already names its hash. A file that cannot be read is listed
 * without one.
 */
export async function collectProvenance(
  graph: GraphDocument,
  registry: NodeRegistry,
  options: { output?: string; files?: FileResolver; now?: Date } = {},
): Promise<ProvenanceRecord> {
  const feeding = options.output ? ancestorsOf(graph, [options.output]) : undefined
  const record: ProvenanceRecord = {
    format: PROVENANCE_FORMAT,
    version: 1,
    app: 'Synesthete',
    createdAt: (options.now ?? new Date()).toISOString(),
    output: options.output,
    sources: [],
    models: [],
    seeds: [],
  }
  for (const node of graph.nodes) {
    const def = registry.get(node.type)
    if (!def || node.mode !== 'normal' || (feeding && !feeding.has(node.id))) continue
    for (const [param, spec] of Object.entries(def.params)) {
      const value = paramValue(spec, node.params, param)
      if (spec.type === 'seed' && typeof value === 'number')
        record.seeds.push({ node: node.id, param, seed: value })
      if (spec.type === 'text' && isModelParam(param) && String(value).trim())
        record.models.push({ node: node.id, param, model: String(value) })
      if (spec.type === 'file' && String(value))
        record.sources.push({
          node: node.id,
          param,
          ...(await describeSource(String(value), options.files)),
        })
    }
  }
  return record
}

async function describeSource(
  ref: string,
  files: FileResolver | undefined,
): Promise<{ ref: string; name: string; sha256?: string }> {
  const blob = /^blob:([0-9a-f]{64})(?:\/(.*))?$/.exec(ref)
  const fallbackName =
    ref
      .replace(/^[a-z]+:/, '')
      .split(/[\\/]/)
      .at(-1) ?? ref
  if (blob) return { ref, name: safeDecode(blob[2] ?? fallbackName), sha256: blob[1] }
  if (!files) return { ref, name: fallbackName }
  try {
    const file = await files(ref)
    return { ref, name: file.name, sha256: file.sha256 ?? (await sha256Hex(file.bytes)) }
  } catch {
    return { ref, name: fallbackName }
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
