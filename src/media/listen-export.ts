/**
 * What the listening room exports, made in one place so the CLI (`--listen DIR`) and the
 * editor's room (its zip download) write the same bytes: each lane as a loudness-matched WAV,
 * the contact sheet as `listen.png`, and `listen.json` saying what was measured and applied.
 *
 * Matching: every lane is measured (BS.1770-4 integrated loudness and true peak,
 * src/dsp/loudness.ts) as it is played — a three-channel (RGB) reading downmixed to stereo
 * first, red left, green centre, blue right — then `matchLoudness` picks the gains: all lanes
 * at the quietest lane's loudness (or a target), the common target lowered so that no lane's
 * true peak passes the ceiling (−1 dBTP). Silent lanes are written as they are, gain 0.
 * Provenance is the caller's: it passes each lane's WAV chunks and the sheet's PNG text.
 */

import { zipSync, type Zippable } from 'fflate'
import type { AnyNodeDefinition } from '../engine/define-node'
import type { GraphNode } from '../engine/document'
import {
  matchedTargetLufs,
  matchLoudness,
  measureLoudness,
  type LoudnessMeasure,
} from '../dsp/loudness'
import { RGB_STEREO_DESCRIPTION, rgbToStereo } from '../dsp/rgb-stereo'
import { buildContactSheet, type ContactSheetOptions } from './contact-sheet'
import { audioOutputFile, safeFileStem, UniqueNames, type OutputFile } from './output-files'
import { encodePng } from './png'
import type { WavChunk, WavEncoding } from './wav'

export const LISTEN_FORMAT = 'synesthete-listen'
export const LISTEN_MANIFEST_FILE = 'listen.json'
export const LISTEN_SHEET_FILE = 'listen.png'

/**
 * Whether a node kind's sound is a lane by default: the audio ports of an output node (its
 * definition exports files), as Audio Output's. Any other audio port is a lane when pinned.
 */
export function lanesByDefault(def: AnyNodeDefinition | undefined): boolean {
  return def?.export !== undefined && Object.values(def.outputs).includes('audio')
}

/** A lane's matched WAV format: its node's `format` param where that names one, else 16-bit. */
export function laneFormat(node: GraphNode): WavEncoding {
  const asked = node.params.format
  return asked === 'pcm24' || asked === 'float32' ? asked : 'pcm16'
}

/** A lane's name: the label the user gave the node, else its file name, else its id. */
export function laneLabel(node: GraphNode): string {
  const name = node.params.name
  return node.label?.trim() || (typeof name === 'string' && name.trim()) || node.id
}

export interface ListenLaneSource {
  /** The node whose output this lane is. */
  node: string
  /** The lane's name as shown. */
  label: string
  sampleRate: number
  channels: readonly Float32Array[]
  /** WAV sample format of the matched file (default 16-bit PCM). */
  format?: WavEncoding
  /** Extra WAV chunks, e.g. `wavProvenanceChunks(graph, record)`. */
  wavChunks?: readonly WavChunk[]
  /** Its loudness as played when already measured (the room measures in a worker). */
  measure?: LoudnessMeasure
}

export interface ListenEntry {
  node: string
  label: string
  /** The matched WAV, a file name beside listen.json (inside the zip: the same name). */
  file: string
  durationSec: number
  sampleRate: number
  /** Channels of the node's audio (3 for an RGB reading, which is written as stereo). */
  channels: number
  /** How the lane is heard and written: "mono", "stereo", or the RGB downmix. */
  playedAs: string
  /** Loudness of the lane as played, before its gain; null when silent. */
  integratedLufs: number | null
  truePeakDbtp: number | null
  /** Gain applied to the WAV (dB). */
  gainDb: number
  /** Loudness and true peak of the written WAV: integratedLufs + gainDb, truePeakDbtp + gainDb. */
  matchedLufs: number | null
  matchedTruePeakDbtp: number | null
}

export interface ListenManifest {
  format: typeof LISTEN_FORMAT
  version: 1
  /** The loudness every non-silent lane was brought to (null when all are silent). */
  targetLufs: number | null
  ceilingDbtp: number
  sheet: typeof LISTEN_SHEET_FILE
  lanes: ListenEntry[]
}

export interface ListenExportOptions {
  targetLufs?: number
  ceilingDbtp?: number
  /** PNG text chunks for the sheet, e.g. `pngProvenanceText(graph, record)`. */
  sheetText?: Record<string, string>
  sheet?: ContactSheetOptions
}

export interface ListenExport {
  manifest: ListenManifest
  /** The matched WAVs, listen.png and listen.json, in that order. */
  files: OutputFile[]
}

/** A lane's audio as it is heard on stereo (or mono), and how that is described. */
export function playedAudio(channels: readonly Float32Array[]): {
  channels: Float32Array[]
  playedAs: string
} {
  if (channels.length === 3)
    return { channels: rgbToStereo(channels), playedAs: RGB_STEREO_DESCRIPTION }
  const playedAs =
    channels.length === 1
      ? 'mono'
      : channels.length === 2
        ? 'stereo'
        : `${channels.length} channels`
  return { channels: [...channels], playedAs }
}

/** Builds every file of the export (see the header). */
export function buildListenExport(
  lanes: readonly ListenLaneSource[],
  options: ListenExportOptions = {},
): ListenExport {
  const ceilingDbtp = options.ceilingDbtp ?? -1
  const played = lanes.map((lane) => playedAudio(lane.channels))
  const measures = lanes.map(
    (lane, i) => lane.measure ?? measureLoudness(played[i].channels, lane.sampleRate),
  )
  const match = { targetLufs: options.targetLufs, ceilingDbtp }
  const gains = matchLoudness(measures, match)
  const names = new UniqueNames()
  names.claim('listen', 'json')
  names.claim('listen', 'png')
  const files: OutputFile[] = []
  const entries = lanes.map((lane, i): ListenEntry => {
    const gain = 10 ** (gains[i] / 20)
    const channels = played[i].channels.map((ch) =>
      gains[i] === 0 ? ch : Float32Array.from(ch, (v) => v * gain),
    )
    const file = audioOutputFile(
      { sampleRate: lane.sampleRate, channels },
      {
        name: names.claim(safeFileStem(lane.label, 'wav', 'lane'), 'wav'),
        format: lane.format ?? 'pcm16',
      },
      lane.wavChunks,
    )
    files.push(file)
    const { integratedLufs, truePeakDbtp } = measures[i]
    return {
      node: lane.node,
      label: lane.label,
      file: file.fileName,
      durationSec: (lane.channels[0]?.length ?? 0) / lane.sampleRate,
      sampleRate: lane.sampleRate,
      channels: lane.channels.length,
      playedAs: played[i].playedAs,
      integratedLufs,
      truePeakDbtp,
      gainDb: gains[i],
      matchedLufs: integratedLufs === null ? null : integratedLufs + gains[i],
      matchedTruePeakDbtp: truePeakDbtp === null ? null : truePeakDbtp + gains[i],
    }
  })
  const targetLufs = matchedTargetLufs(measures, match)
  const sheet = buildContactSheet(
    lanes.map((lane, i) => ({
      label: lane.label,
      channels: played[i].channels,
      sampleRate: lane.sampleRate,
      integratedLufs: measures[i].integratedLufs,
      truePeakDbtp: measures[i].truePeakDbtp,
      gainDb: gains[i],
    })),
    {
      title:
        targetLufs === null
          ? 'Listening room: every lane is silent'
          : `Listening room: ${lanes.length} lanes matched to ${targetLufs.toFixed(1)} LUFS`,
      ...options.sheet,
    },
  )
  files.push({ fileName: LISTEN_SHEET_FILE, bytes: encodePng(sheet, options.sheetText) })
  const manifest: ListenManifest = {
    format: LISTEN_FORMAT,
    version: 1,
    targetLufs,
    ceilingDbtp,
    sheet: LISTEN_SHEET_FILE,
    lanes: entries,
  }
  files.push({
    fileName: LISTEN_MANIFEST_FILE,
    bytes: new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`),
  })
  return { manifest, files }
}

/** Zip entries carry this date, so the same export always gives the same bytes. */
const ZIP_TIME = new Date(2000, 0, 1)

/**
 * The export as one zip, its files in a folder named after `name` (WAVs deflated, the PNG
 * stored: it is compressed already).
 */
export function listenZip(exported: ListenExport, name = 'listening-room'): OutputFile {
  const stem = safeFileStem(name, 'zip', 'listening-room')
  const entries: Zippable = {}
  for (const file of exported.files)
    entries[`${stem}/${file.fileName}`] = [
      file.bytes,
      { level: file.fileName.endsWith('.png') ? 0 : 6 },
    ]
  return { fileName: `${stem}.zip`, bytes: zipSync(entries, { mtime: ZIP_TIME }) }
}
