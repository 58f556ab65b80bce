import { statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import type { GraphDocument } from '../engine/document'
import { sha256Hex } from '../engine/hash'
import type { FileResolver } from '../engine/keys'
import { graphInFile } from '../media/graph-file'
import type { ProvenanceRecord } from '../media/provenance'
import { REPO_ROOT } from './files'
import { invocationDir } from './args'

/** Where a graph to run comes from: its JSON text, the folder relative paths start from. */
export interface GraphSource {
  path: string
  text: string
  baseDir: string
  /** Set when the graph was restored from a PNG or WAV that Synesthete exported. */
  restoredFrom?: { container: 'png' | 'wav'; provenance?: ProvenanceRecord }
}

/**
 * A preset name ("visual-sampling") or a file holding a graph, judged by its content: a graph
 * document, a share link, or a PNG, WAV or zip exported by Synesthete, which carries the graph
 * that made it.
 */
export async function readGraphSource(name: string): Promise<GraphSource> {
  const path = locateGraph(name)
  const found = await graphInFile(new Uint8Array(await readFile(path)), basename(path))
  if (found.kind !== 'graph') throw new Error(found.message)
  const restoredFrom =
    found.container === 'json'
      ? undefined
      : { container: found.container, provenance: found.provenance }
  return { path, text: found.text, baseDir: dirname(path), restoredFrom }
}

function locateGraph(name: string): string {
  const candidates = [
    resolve(invocationDir(), name),
    join(REPO_ROOT, 'presets', `${name}.json`),
    join(REPO_ROOT, 'presets', name),
  ]
  const found = candidates.find((p) => statSync(p, { throwIfNoEntry: false })?.isFile())
  if (!found)
    throw new Error(
      `No graph "${name}": give a graph file (a JSON document, a share link, or a PNG, WAV or zip exported by Synesthete) or a preset name from presets/.`,
    )
  return found
}

/** One line saying where a restored graph came from, for the log. */
export function describeRestored(source: GraphSource): string | undefined {
  const from = source.restoredFrom
  if (!from) return undefined
  const p = from.provenance
  const made = p
    ? ` (made ${p.createdAt.slice(0, 19).replace('T', ' ')}${p.output ? ` by node "${p.output}"` : ''})`
    : ''
  return `Restored the graph from ${basename(source.path)}${made}.`
}

/**
 * Warnings for a restored graph whose source files are not the ones that made the result:
 * the result will differ, and the person should know why.
 */
export async function sourceWarnings(
  graph: GraphDocument,
  provenance: ProvenanceRecord | undefined,
  files: FileResolver,
): Promise<string[]> {
  const warnings: string[] = []
  for (const source of provenance?.sources ?? []) {
    const node = graph.nodes.find((n) => n.id === source.node)
    const ref = node?.params[source.param]
    if (!source.sha256 || typeof ref !== 'string' || ref.startsWith('blob:')) continue
    try {
      const file = await files(ref)
      if ((file.sha256 ?? (await sha256Hex(file.bytes))) !== source.sha256)
        warnings.push(
          `${source.node}: "${file.name}" is not the file that made this result ("${source.name}", SHA-256 ${source.sha256.slice(0, 12)}…); the output will differ.`,
        )
    } catch {
      // Reported by the run itself, with what to do.
    }
  }
  return warnings
}
