/**
 * The files output nodes export, made in one place so the CLI and the editor write identical
 * bytes for the same value and params.
 */

import type { ExportContext, ExportFile } from '../engine/define-node'
import { UserError } from '../engine/errors'
import { encodePng, type PlanarImage } from './png'
import { pngProvenanceText, wavProvenanceChunks } from './provenance'
import { encodeWav, type PcmAudio, type WavChunk, type WavEncoding } from './wav'

/** Where an exported file comes from, as node exports receive it (see `ExportContext`). */
export type ExportProvenance = Pick<ExportContext, 'graph' | 'provenance'>

export interface OutputFile {
  fileName: string
  bytes: Uint8Array
}

/**
 * Longest stem in UTF-8 bytes: file systems cap a name at 255 bytes (ext4, APFS) or UTF-16
 * units (NTFS); this leaves room for an extension and a numbered suffix.
 */
const MAX_STEM_BYTES = 200

/**
 * Invisible format characters that can disguise a name (bidi overrides that show
 * "mp3.exe" as "exe.3pm", zero-width spaces) and controls. The joiners U+200C and U+200D
 * are kept: Persian, Indic scripts and emoji need them.
 */
const HIDDEN = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu

/** Names Windows reserves for devices, with or without an extension ("con.take2.wav"). */
const RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i

/**
 * A file name from what the user typed or a document carries: characters invalid on common
 * file systems (Windows is the strictest), controls and invisible format characters become
 * `_`, an extension they typed is dropped, leading dots and spaces go (no hidden files, no
 * `..`), a leading `-` is guarded (no name reads as a command-line option), long names are
 * cut at 200 UTF-8 bytes on a character boundary, and empty names fall back. The result is
 * one path component on every platform, so `join(dir, stem + ext)` stays inside `dir`.
 * Keeps names portable between the CLI's folder and the browser's download.
 */
export function safeFileStem(name: string, extension: string, fallback = 'output'): string {
  let stem = name
    .normalize('NFC')
    .trim()
    .replace(new RegExp(`\\.${extension}$`, 'i'), '')
    .replace(/[<>:"/\\|?*]/g, '_')
    .replace(HIDDEN, '_')
    .replace(/^[.\s]+/, '')
  stem = cutToBytes(stem, MAX_STEM_BYTES).replace(/[.\s]+$/, '')
  if (stem.startsWith('-')) stem = `_${stem}`
  if (RESERVED.test(stem)) stem = `_${stem}`
  return stem || fallback
}

/** The longest prefix of `text` whose UTF-8 encoding fits `maxBytes`, whole characters only. */
function cutToBytes(text: string, maxBytes: number): string {
  let bytes = 0
  let end = 0
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4
    if (bytes + size > maxBytes) break
    bytes += size
    end += char.length
  }
  return text.slice(0, end)
}

/**
 * Gives each name once per folder: a second "x.npy" becomes "x-2.npy". Names are compared
 * case-folded, since macOS and Windows folders treat "Mix" and "mix" as one file.
 */
export class UniqueNames {
  private readonly taken = new Set<string>()

  claim(stem: string, extension: string): string {
    for (let n = 1; ; n++) {
      const name = n === 1 ? `${stem}.${extension}` : `${stem}-${n}.${extension}`
      const key = name.normalize('NFC').toLowerCase()
      if (this.taken.has(key)) continue
      this.taken.add(key)
      return name
    }
  }
}

/** The WAV file an Audio Output node exports; `extraChunks` carry provenance. */
export function audioOutputFile(
  audio: PcmAudio,
  params: { name: string; format: WavEncoding },
  extraChunks: readonly WavChunk[] = [],
): OutputFile {
  // A WAV header holds whole rates only; rounding a fractional rate shifts pitch inaudibly.
  const sampleRate = Math.round(audio.sampleRate)
  if (!(sampleRate >= 1))
    throw new UserError(
      `Cannot write a WAV file at a sample rate of ${audio.sampleRate} Hz.`,
      'Resample the audio to a normal rate (e.g. 44100 Hz) before the output.',
    )
  if (audio.channels.length === 0)
    throw new UserError('The audio to export has no channels.', 'Connect a node that makes sound.')
  return {
    fileName: wavFileName(params.name),
    bytes: encodeWav({ sampleRate, channels: audio.channels }, params.format, extraChunks),
  }
}

/** The PNG file an Image Output node exports; `text` carries provenance. */
export function imageOutputFile(
  image: PlanarImage,
  params: { name: string },
  text: Record<string, string> = {},
): OutputFile {
  return { fileName: pngFileName(params.name), bytes: encodePng(image, text) }
}

/** All the bytes of an exported file, its parts joined where it comes in parts (a download). */
export async function exportedBytes(file: ExportFile): Promise<Uint8Array> {
  const content = await file.bytes()
  if (content instanceof Uint8Array) return content
  const parts: Uint8Array<ArrayBuffer>[] = []
  for await (const part of content) parts.push(new Uint8Array(part))
  return new Uint8Array(await new Blob(parts).arrayBuffer())
}

/** The WAV file name for a name the user gave: `mix` and `mix.wav` both give `mix.wav`. */
export const wavFileName = (name: string): string => `${safeFileStem(name, 'wav')}.wav`

/** The PNG file name for a name the user gave. */
export const pngFileName = (name: string): string => `${safeFileStem(name, 'png')}.png`

/**
 * `audioOutputFile` as a node exports it: named at once, encoded when asked, carrying the graph
 * and its provenance record when `provenance` is given.
 */
export function wavExport(
  audio: PcmAudio,
  params: { name: string; format: WavEncoding },
  provenance?: ExportProvenance,
): ExportFile {
  return {
    fileName: wavFileName(params.name),
    type: 'audio/wav',
    label: 'WAV',
    bytes: async () => {
      const chunks = provenance
        ? wavProvenanceChunks(provenance.graph, await provenance.provenance())
        : []
      return audioOutputFile(audio, params, chunks).bytes
    },
  }
}

/** `imageOutputFile` as a node exports it (see `wavExport`). */
export function pngExport(
  image: PlanarImage,
  params: { name: string },
  provenance?: ExportProvenance,
): ExportFile {
  return pngTextExport(
    { fileName: pngFileName(params.name), type: 'image/png', label: 'PNG' },
    provenance,
    (text) => imageOutputFile(image, params, text).bytes,
  )
}

/**
 * A file of PNG pictures as a node exports it (one PNG, a zip of frames): named at once, made
 * when asked, every PNG carrying the graph and its provenance record when `provenance` is given.
 */
export function pngTextExport(
  file: Omit<ExportFile, 'bytes'>,
  provenance: ExportProvenance | undefined,
  make: (text: Record<string, string>) => Uint8Array,
): ExportFile {
  return {
    ...file,
    bytes: async () =>
      make(provenance ? pngProvenanceText(provenance.graph, await provenance.provenance()) : {}),
  }
}
