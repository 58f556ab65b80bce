/**
 * Provenance: every PNG and WAV Synesthete exports carries the graph that made it and a small
 * record beside it (which node wrote the file, the SHA-256 of each source file, the model ids
 * and the seeds), so a result can be traced, reopened and run again.
 *
 * Where it goes (both UTF-8 JSON):
 * - PNG: text chunks `synesthete-graph` (the graph document) and `synesthete-provenance`
 *   (the record), tEXt when the text is Latin-1, otherwise iTXt, right after IHDR.
 * - WAV: RIFF chunks `syGr` (the graph) and `syPv` (the record) before `data`, plus a
 *   `LIST`/`INFO` chunk whose `ISFT` names Synesthete, which audio editors display.
 * Readers that do not know the chunks skip them, as RIFF and PNG require.
 */

import type { GraphDocument } from '../engine/document'
import { provenanceSchema, type ProvenanceRecord } from '../engine/provenance'
import { DOCUMENT_LIMITS } from '../engine/validate'
import { PNG_SIGNATURE, readTextChunks } from './png-chunks'
import { riffChunks } from './riff'
import { sniff } from './sniff'
import { readWavChunks, type WavChunk } from './wav'

export { collectProvenance, PROVENANCE_FORMAT, type ProvenanceRecord } from '../engine/provenance'

export const GRAPH_TEXT_KEY = 'synesthete-graph'
export const PROVENANCE_TEXT_KEY = 'synesthete-provenance'
export const WAV_GRAPH_CHUNK = 'syGr'
export const WAV_PROVENANCE_CHUNK = 'syPv'

/** The PNG text chunks (keyword → text) to pass to `encodePng`. */
export function pngProvenanceText(
  graph: GraphDocument,
  record: ProvenanceRecord,
): Record<string, string> {
  return { [GRAPH_TEXT_KEY]: JSON.stringify(graph), [PROVENANCE_TEXT_KEY]: JSON.stringify(record) }
}

const utf8 = (text: string) => new TextEncoder().encode(text)

/** The extra RIFF chunks to pass to `encodeWav`. */
export function wavProvenanceChunks(graph: GraphDocument, record: ProvenanceRecord): WavChunk[] {
  return [
    infoList({ ISFT: 'Synesthete', ICMT: 'Made with Synesthete: the graph is in the syGr chunk.' }),
    { id: WAV_GRAPH_CHUNK, data: utf8(JSON.stringify(graph)) },
    { id: WAV_PROVENANCE_CHUNK, data: utf8(JSON.stringify(record)) },
  ]
}

/** A `LIST` chunk of type `INFO`: zero-terminated ASCII strings, each padded to even size. */
function infoList(fields: Record<string, string>): WavChunk {
  const parts: number[] = [...utf8('INFO')]
  for (const [id, value] of Object.entries(fields)) {
    const text = [...utf8(value.replace(/[^\x20-\x7e]/g, '?')), 0]
    if (text.length & 1) text.push(0)
    parts.push(...utf8(id), ...le32(text.length), ...text)
  }
  return { id: 'LIST', data: Uint8Array.from(parts) }
}

const le32 = (n: number) => [n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255]

export type EmbeddedGraph =
  | { kind: 'none' }
  | {
      kind: 'found'
      container: 'png' | 'wav'
      /** The graph's JSON, to be validated like any file (it is untrusted). */
      graphText: string
      provenance?: ProvenanceRecord
    }
  | { kind: 'unreadable'; message: string }

/**
 * The graph a PNG or WAV file carries, if it carries one. Never throws: a file that is not
 * PNG or WAV, or carries no graph, is `none`; a damaged one is `unreadable` with a reason.
 */
export function readEmbeddedGraph(bytes: Uint8Array): EmbeddedGraph {
  const sniffed = sniff(bytes)
  try {
    if (sniffed.kind === 'image' && sniffed.format === 'png') {
      const text = readTextChunks(bytes)
      if (text[GRAPH_TEXT_KEY] === undefined) {
        const cut = cutPngGraphChunk(bytes)
        if (cut) return cut
      }
      return found('png', text[GRAPH_TEXT_KEY], text[PROVENANCE_TEXT_KEY])
    }
    if (sniffed.kind === 'audio' && sniffed.format === 'wav') {
      // Our chunks come before the data chunk: a file cut inside one has lost its sound too.
      const graphChunk = riffChunks(bytes, 12).find((c) => c.id === WAV_GRAPH_CHUNK)
      if (graphChunk && graphChunk.offset + graphChunk.size > bytes.length)
        return cutShort(graphChunk.size, bytes.length - graphChunk.offset)
      const chunks = readWavChunks(bytes)
      const textOf = (id: string) => {
        const chunk = chunks.find((c) => c.id === id)
        return chunk && new TextDecoder('utf-8', { fatal: true }).decode(chunk.data)
      }
      return found('wav', textOf(WAV_GRAPH_CHUNK), textOf(WAV_PROVENANCE_CHUNK))
    }
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    return { kind: 'unreadable', message: `The file's embedded graph cannot be read (${why}).` }
  }
  return { kind: 'none' }
}

/** A graph chunk the file ends inside: its graph is there but cut, not absent. */
function cutShort(declared: number, present: number): EmbeddedGraph {
  return {
    kind: 'unreadable',
    message:
      `The file's graph chunk is cut short: it declares ${declared} bytes but the file ends ` +
      `after ${Math.max(0, present)}. The file was truncated (an unfinished download or copy?).`,
  }
}

/**
 * The PNG text chunk holding our graph, when the file ends inside it (pngChunks stops before a
 * chunk that runs past the end, so readTextChunks never sees it).
 */
function cutPngGraphChunk(bytes: Uint8Array): EmbeddedGraph | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const keyword = `${GRAPH_TEXT_KEY}\0`
  for (let p = PNG_SIGNATURE.length; p + 8 <= bytes.length;) {
    const length = view.getUint32(p)
    const type = String.fromCharCode(...bytes.subarray(p + 4, p + 8))
    if (p + 12 + length > bytes.length) {
      const head = String.fromCharCode(...bytes.subarray(p + 8, p + 8 + keyword.length))
      const text = type === 'tEXt' || type === 'iTXt'
      return text && head === keyword ? cutShort(length, bytes.length - p - 8) : undefined
    }
    p += 12 + length
  }
  return undefined
}

function found(
  container: 'png' | 'wav',
  graphText: string | undefined,
  provenanceText: string | undefined,
): EmbeddedGraph {
  if (graphText === undefined) return { kind: 'none' }
  return { kind: 'found', container, graphText, provenance: parseProvenance(provenanceText) }
}

/** The record if it is well formed; provenance is informative, so a bad one is just left out. */
export function parseProvenance(text: string | undefined): ProvenanceRecord | undefined {
  if (!text || text.length > DOCUMENT_LIMITS.bytes) return undefined
  try {
    const parsed = provenanceSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}
