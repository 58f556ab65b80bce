/**
 * `--listen DIR`: the listening room, headless. Every output node's sound (Audio Output's; see
 * `lanesByDefault`) is a lane (in the document's order, named by the node's label, else its file name);
 * other nodes' unconnected audio ports are not: an output node is how a graph says "this is a
 * result", and the room's own pins are an editor choice. Writes DIR/listen.json, one matched
 * WAV per lane and DIR/listen.png (the contact sheet), built by src/media/listen-export.ts as
 * the editor's room builds its zip; each WAV carries the graph and its provenance as Audio
 * Output's own files do, the sheet the whole graph's.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import type { GraphDocument } from '../engine/document'
import type { NodeResult } from '../engine/executor'
import type { FileResolver } from '../engine/keys'
import {
  buildListenExport,
  laneFormat,
  laneLabel,
  lanesByDefault,
  type ListenLaneSource,
  type ListenManifest,
} from '../media/listen-export'
import { collectProvenance, pngProvenanceText, wavProvenanceChunks } from '../media/provenance'
import type { NodeRegistry } from '../engine/registry'
import { pathInside } from './safe-paths'

export interface ListenResult {
  manifest: ListenManifest
  written: string[]
  /** Output nodes that made no sound (failed, blocked, muted), with why. */
  skipped: { node: string; reason: string }[]
}

export async function writeListening(
  dir: string,
  graph: GraphDocument,
  results: readonly NodeResult[],
  files: FileResolver,
  registry: NodeRegistry,
): Promise<ListenResult> {
  const byNode = new Map(results.map((r) => [r.node, r]))
  const lanes: ListenLaneSource[] = []
  const skipped: ListenResult['skipped'] = []
  for (const node of graph.nodes) {
    if (!lanesByDefault(registry.get(node.type))) continue
    const result = byNode.get(node.id)
    const audio = result?.outputs?.audio
    if (!audio || audio.kind !== 'audio') {
      skipped.push({ node: node.id, reason: result?.error?.message ?? result?.state ?? 'not run' })
      continue
    }
    const record = await collectProvenance(graph, registry, { output: node.id, files })
    lanes.push({
      node: node.id,
      label: laneLabel(node),
      sampleRate: audio.sampleRate,
      channels: audio.channels,
      format: laneFormat(node),
      wavChunks: wavProvenanceChunks(graph, record),
    })
  }
  const sheetRecord = await collectProvenance(graph, registry, { files })
  const exported = buildListenExport(lanes, { sheetText: pngProvenanceText(graph, sheetRecord) })
  await mkdir(dir, { recursive: true })
  const written: string[] = []
  for (const file of exported.files) {
    const path = pathInside(dir, file.fileName)
    await writeFile(path, file.bytes)
    written.push(path)
  }
  return { manifest: exported.manifest, written, skipped }
}
