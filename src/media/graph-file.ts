/**
 * The graph a file holds, whatever the file is: a graph document (.json) or a PNG or WAV that
 * Synesthete exported (see provenance.ts). One reader for the editor's drops and imports and
 * the command line, so they accept and refuse the same files with the same words.
 */

import { DOCUMENT_LIMITS } from '../engine/validate'
import { readEmbeddedGraph, type ProvenanceRecord } from './provenance'
import { describeSniffed, sniff } from './sniff'

export type GraphFile =
  | {
      kind: 'graph'
      container: 'json' | 'png' | 'wav'
      /** The graph's JSON text: untrusted, to be validated (`parseGraphText`). */
      text: string
      provenance?: ProvenanceRecord
    }
  /** A file that holds no graph (a PNG or WAV not made by Synesthete, or any other file). */
  | { kind: 'no-graph'; message: string }
  | { kind: 'unreadable'; message: string }

/** Whether a file starting with `head` may carry a graph Synesthete embedded: a PNG or a WAV. */
export function mayCarryGraph(head: Uint8Array): boolean {
  const sniffed = sniff(head)
  return (
    (sniffed.kind === 'image' && sniffed.format === 'png') ||
    (sniffed.kind === 'audio' && sniffed.format === 'wav')
  )
}

export function graphInFile(bytes: Uint8Array, name: string): GraphFile {
  const label = `“${name}”`
  const sniffed = sniff(bytes)
  if (mayCarryGraph(bytes)) {
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
  const looksJson =
    /\.json$/i.test(name) || (sniffed.kind === 'other' && sniffed.what === 'JSON text')
  if (!looksJson) {
    const what = sniffed.kind === 'unknown' ? 'not a graph' : describeSniffed(sniffed)
    return {
      kind: 'no-graph',
      message: `${label} is ${what}. A graph is a .json file, or a PNG or WAV exported by Synesthete.`,
    }
  }
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
