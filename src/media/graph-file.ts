/**
 * The graph a file holds, judged by its content, never its name: a graph document (JSON), a
 * share link (text holding `…#graph=…`), a PNG or WAV that Synesthete exported (see
 * provenance.ts), or a zip of such files (a Video Output's PNG frames, the listening room's
 * WAVs). One reader for the editor's drops and imports and the command line, so they accept
 * and refuse the same files with the same words.
 */

import { SHARE_LIMITS, shareGraphText } from '../engine/share-link'
import { DOCUMENT_LIMITS } from '../engine/validate'
import { readEmbeddedGraph, type ProvenanceRecord } from './provenance'
import { describeSniffed, sniff } from './sniff'
import { zipEntries, zipEntryBytes } from './zip-read'

export type GraphFile =
  | {
      kind: 'graph'
      container: 'json' | 'png' | 'wav'
      /** The graph's JSON text: untrusted, to be validated (`parseGraphText`). */
      text: string
      provenance?: ProvenanceRecord
      /** Where the document or the PNG/WAV was found: in a share link, or a file of a zip. */
      via?: { link: true } | { zip: string }
    }
  /** A file that holds no graph (a PNG or WAV not made by Synesthete, or any other file). */
  | { kind: 'no-graph'; message: string }
  | { kind: 'unreadable'; message: string }

const WHAT_IS_A_GRAPH =
  'A graph is a JSON document or a share link, or a PNG, WAV or zip of them exported by Synesthete.'

/** How many PNG or WAV files of a zip are looked into (an exported zip's first one carries it), among how many files. */
const ZIP_LOOKS = 8
const ZIP_ENTRIES = 64

/** The largest PNG or WAV in a zip looked into (a frame, or a listening room's take). */
const ZIP_FILE_LIMIT = 1 << 30

/** Whether a file starting with `head` may carry a graph Synesthete embedded: a PNG or a WAV. */
export function mayCarryGraph(head: Uint8Array): boolean {
  const sniffed = sniff(head)
  return (
    (sniffed.kind === 'image' && sniffed.format === 'png') ||
    (sniffed.kind === 'audio' && sniffed.format === 'wav')
  )
}

export async function graphInFile(bytes: Uint8Array, name: string): Promise<GraphFile> {
  const label = `“${name}”`
  if (mayCarryGraph(bytes)) return embeddedGraph(bytes, label)
  const sniffed = sniff(bytes)
  const format = sniffed.kind === 'other' ? sniffed.format : undefined
  if (format === 'zip') return graphInZip(bytes, label)
  // JSON by its first character: a document with a bad byte past the sniffed start is still one.
  if (format === 'json' || firstNonSpace(bytes) === 0x7b) return graphDocument(bytes, label)
  if (format === 'text') {
    const link = await graphInLink(bytes, label)
    if (link) return link
  }
  const what = sniffed.kind === 'unknown' ? 'not a graph' : describeSniffed(sniffed)
  return { kind: 'no-graph', message: `${label} is ${what}. ${WHAT_IS_A_GRAPH}` }
}

function embeddedGraph(bytes: Uint8Array, label: string): GraphFile {
  const embedded = readEmbeddedGraph(bytes)
  if (embedded.kind === 'found')
    return {
      kind: 'graph',
      container: embedded.container,
      text: embedded.graphText,
      provenance: embedded.provenance,
    }
  if (embedded.kind === 'unreadable')
    return { kind: 'unreadable', message: `${label}: ${embedded.message}` }
  return {
    kind: 'no-graph',
    message: `${label} carries no Synesthete graph. Only PNG and WAV files exported by Synesthete do.`,
  }
}

function graphDocument(bytes: Uint8Array, label: string): GraphFile {
  if (bytes.length > DOCUMENT_LIMITS.bytes)
    return {
      kind: 'unreadable',
      message: `${label} is ${(bytes.length / 1e6).toFixed(1)} MB; graphs are at most 5 MB. Is this the right file?`,
    }
  try {
    return {
      kind: 'graph',
      container: 'json',
      text: new TextDecoder('utf-8', { fatal: true }).decode(bytes),
    }
  } catch {
    return { kind: 'unreadable', message: `${label} is not text (UTF-8), so it is not a graph.` }
  }
}

/** A share link saved as text (one word: the address, or just its `#graph=…` part). */
async function graphInLink(bytes: Uint8Array, label: string): Promise<GraphFile | undefined> {
  if (bytes.length > SHARE_LIMITS.fragmentChars + 65536) return undefined
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).trim()
  } catch {
    return undefined
  }
  const hash = text.indexOf('#')
  if (hash < 0 || /\s/.test(text)) return undefined
  const found = await shareGraphText(text.slice(hash))
  if (!found) return undefined
  if (!found.ok)
    return { kind: 'unreadable', message: `${label} holds a share link: ${found.message}` }
  return { kind: 'graph', container: 'json', text: found.text, via: { link: true } }
}

/** The graph the zip's first PNG or WAV exported by Synesthete carries. */
async function graphInZip(bytes: Uint8Array, label: string): Promise<GraphFile> {
  const entries = zipEntries(bytes)
  if (!entries)
    return {
      kind: 'unreadable',
      message: `${label} is a damaged zip archive: its list of files cannot be read.`,
    }
  let looked = 0
  // Stored files are judged from their first bytes; deflated ones must be unpacked to be seen.
  for (const entry of entries.slice(0, ZIP_ENTRIES)) {
    const head = bytes.subarray(entry.offset, entry.offset + Math.min(entry.packedSize, 64))
    if (entry.method === 0 && !mayCarryGraph(head)) continue
    const inner = await zipEntryBytes(bytes, entry, ZIP_FILE_LIMIT)
    if (!inner || !mayCarryGraph(inner)) continue
    const found = embeddedGraph(inner, `${label} (${entry.name})`)
    if (found.kind === 'graph') return { ...found, via: { zip: entry.name } }
    if (++looked === ZIP_LOOKS) break
  }
  return {
    kind: 'no-graph',
    message: `${label} is a zip archive, but ${looked === 0 ? 'it holds no PNG or WAV' : `its first ${looked === 1 ? 'PNG or WAV carries' : `${looked} PNG or WAV files carry`} no Synesthete graph`}. ${WHAT_IS_A_GRAPH}`,
  }
}

function firstNonSpace(bytes: Uint8Array): number | undefined {
  for (let i = 0; i < bytes.length && i < 1024; i++)
    if (![0x20, 0x09, 0x0a, 0x0d, 0xef, 0xbb, 0xbf].includes(bytes[i])) return bytes[i]
  return undefined
}
