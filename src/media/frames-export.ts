/**
 * The files a frame sequence exports as, made in one place so the CLI and the editor write
 * identical bytes: a zip of numbered 8-bit PNGs, the soundtrack as WAV, spectra as CSV, and
 * the ffmpeg command that joins pictures and sound into a video. Like every PNG and WAV
 * Synesthete exports, the frames and the soundtrack can carry the graph (see provenance.ts).
 */
import { zipSync, type Zippable } from 'fflate'
import type { GraphDocument } from '../engine/document'
import { UserError } from '../engine/errors'
import type { FramesValue } from '../engine/values'
import { frameImage, framesProblem } from './frames'
import { audioOutputFile, safeFileStem, type OutputFile } from './output-files'
import { encodePng } from './png'
import { pngProvenanceText, wavProvenanceChunks, type ProvenanceRecord } from './provenance'
import { shellCommand } from './shell-quote'
import { spectraCsv, spectraJson } from './spectra-csv'

/** Zip entries carry this date, so the same frames always give the same bytes. */
const ZIP_TIME = new Date(2000, 0, 1)

/** File name of frame i (from 0) in the sequence: 000001.png, 000002.png … (ffmpeg's %06d). */
export function frameFileName(index: number): string {
  return `${String(index + 1).padStart(6, '0')}.png`
}

/**
 * The frames as PNG files in a folder `STEM/` inside a zip. PNGs are already compressed, so
 * they are stored as they are (zip method 0). `text` (provenance) goes into every frame, so a
 * single frame taken out of the zip still reopens the graph. `onFrame` reports progress.
 */
export function framesZip(
  value: FramesValue,
  name: string,
  text: Record<string, string> = {},
  onFrame?: (done: number, total: number) => void,
): OutputFile {
  const problem = framesProblem(value)
  if (problem)
    throw new UserError(`Cannot export frames that ${problem}.`, 'Check the node feeding it.')
  if (value.frames[0].length === 2)
    throw new UserError('PNG export needs grey, RGB or RGBA frames, not grey with alpha.')
  const stem = safeFileStem(name, 'zip', 'frames')
  const entries: Zippable = {}
  const total = value.frames.length
  for (let i = 0; i < total; i++) {
    entries[`${stem}/${frameFileName(i)}`] = [encodePng(frameImage(value, i), text), { level: 0 }]
    onFrame?.(i + 1, total)
  }
  return { fileName: `${stem}.zip`, bytes: zipSync(entries, { mtime: ZIP_TIME }) }
}

/**
 * The shell line that makes a WebM (VP9 + Opus) from the zip and the WAV, run in `dir` when
 * given. Every word is shell-quoted: the name comes from a document, and pasting the line
 * must run exactly these commands whatever it holds.
 */
export function muxCommand(value: FramesValue, name: string, dir?: string): string {
  const stem = safeFileStem(name, 'zip', 'frames')
  // ffmpeg reads the input pattern printf-style: a literal % in the folder name is %%.
  const pattern = `${stem.replace(/%/g, '%%')}/%06d.png`
  const sound = value.audio ? ['-i', `${stem}.wav`, '-c:a', 'libopus', '-shortest'] : []
  const steps = [
    ['unzip', '-o', `${stem}.zip`],
    ['ffmpeg', '-framerate', String(value.fps), '-i', pattern, ...sound].concat([
      '-c:v',
      'libvpx-vp9',
      '-pix_fmt',
      'yuv420p',
      `${stem}.webm`,
    ]),
  ]
  if (dir !== undefined) steps.unshift(['cd', dir])
  return steps.map(shellCommand).join(' && ')
}

/**
 * Everything a Video Output node writes: pictures as the PNG zip, spectra (one row of levels
 * per frame) as CSV instead with a JSON beside it saying how they were measured, and the
 * soundtrack, when the frames carry one, as 16-bit WAV.
 * With `provenance`, every PNG and the WAV carry the graph and its record; CSV has no place
 * for them.
 */
export function videoOutputFiles(
  value: FramesValue,
  params: { name: string },
  provenance?: { graph: GraphDocument; record: ProvenanceRecord },
): OutputFile[] {
  const stem = safeFileStem(params.name, 'zip', 'frames')
  const spectra = value.binHz !== undefined && value.height === 1
  const text = provenance ? pngProvenanceText(provenance.graph, provenance.record) : {}
  const chunks = provenance ? wavProvenanceChunks(provenance.graph, provenance.record) : []
  const text8 = (s: string) => new TextEncoder().encode(s)
  const files = spectra
    ? [
        { fileName: `${stem}.csv`, bytes: text8(spectraCsv(value)) },
        { fileName: `${stem}.json`, bytes: text8(spectraJson(value)) },
      ]
    : [framesZip(value, stem, text)]
  if (value.audio) files.push(audioOutputFile(value.audio, { name: stem, format: 'pcm16' }, chunks))
  return files
}
