/**
 * The files a frame sequence exports as, made in one place so the CLI and the editor write
 * identical bytes: a zip of numbered 8-bit PNGs, the soundtrack as WAV, spectra as CSV, and
 * the ffmpeg command that joins pictures and sound into a video. Like every PNG and WAV
 * Synesthete exports, the frames and the soundtrack can carry the graph (see provenance.ts).
 */
import { UserError } from '../engine/errors'
import { joinArrays } from '../engine/join-arrays'
import type { FramesValue } from '../engine/values'
import { frameImage, frameIndex, framesProblem } from './frames'
import type { ExportFile } from '../engine/define-node'
import {
  pngTextExport,
  safeFileStem,
  wavExport,
  type ExportProvenance,
  type OutputFile,
} from './output-files'
import { encodePng } from './png'
import { shellCommand } from './shell-quote'
import { spectraCsv, spectraJson } from './spectra-csv'
import { StoredZip } from './stored-zip'

/** Zip entries carry this date, so the same frames always give the same bytes. */
export const ZIP_TIME = new Date(2000, 0, 1)

/** File name of frame i (from 0) in the sequence: 000001.png, 000002.png … (ffmpeg's %06d). */
export function frameFileName(index: number): string {
  return `${String(index + 1).padStart(6, '0')}.png`
}

/**
 * What is wrong with frames for PNG export, or undefined: a usable sequence (framesProblem) of
 * grey, RGB or RGBA frames.
 */
export function pngFramesProblem(value: FramesValue): UserError | undefined {
  const problem = framesProblem(value)
  if (problem)
    return new UserError(`Cannot export frames that ${problem}.`, 'Check the node feeding it.')
  if (value.frames[0]?.length === 2)
    return new UserError('PNG export needs grey, RGB or RGBA frames, not grey with alpha.')
  return undefined
}

/** The zip entry of frame `index` (in the whole sequence) of the sequence named `stem`. */
export function frameEntryName(stem: string, index: number): string {
  return `${stem}/${frameFileName(index)}`
}

/** Frame i of `value` (i within the value: a window starts at its range) as a PNG. */
export function framePng(value: FramesValue, i: number, text: Record<string, string> = {}) {
  return encodePng(frameImage(value, i), text)
}

/**
 * The frames as PNG files in a folder `STEM/` inside a zip. PNGs are already compressed, so
 * they are stored as they are (zip method 0). `text` (provenance) goes into every frame, so a
 * single frame taken out of the zip still reopens the graph. `onFrame` reports progress. The
 * command line writes the same bytes a window at a time (src/cli/frames-render.ts).
 */
export function framesZip(
  value: FramesValue,
  name: string,
  text: Record<string, string> = {},
  onFrame?: (done: number, total: number) => void,
): OutputFile {
  const problem = pngFramesProblem(value)
  if (problem) throw problem
  const stem = framesStem(name)
  const zip = new StoredZip(ZIP_TIME)
  const parts: Uint8Array[] = []
  const total = value.frames.length
  for (let i = 0; i < total; i++) {
    parts.push(...zip.add(frameEntryName(stem, frameIndex(value, i)), framePng(value, i, text)))
    onFrame?.(i + 1, total)
  }
  parts.push(zip.finish())
  return { fileName: `${stem}.zip`, bytes: joinArrays(Uint8Array, parts) }
}

/**
 * The shell line that makes a WebM (VP9 + Opus) from the zip and the WAV, run in `dir` when
 * given. Every word is shell-quoted: the name comes from a document, and pasting the line
 * must run exactly these commands whatever it holds.
 */
export function muxCommand(value: FramesValue, name: string, dir?: string): string {
  const stem = framesStem(name)
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

/** Whether frames export as spectra (CSV rows of levels) rather than pictures. */
export function writesSpectra(value: FramesValue): boolean {
  return value.binHz !== undefined && value.height === 1
}

/**
 * Everything a Video Output node writes: pictures as the PNG zip, spectra (one row of levels
 * per frame) as CSV instead with a JSON beside it saying how they were measured, and the
 * soundtrack, when the frames carry one, as 16-bit WAV. Named at once, made when asked.
 * With `provenance`, every PNG and the WAV carry the graph and its record; CSV has no place
 * for them.
 */
export function videoExportFiles(
  value: FramesValue,
  params: { name: string },
  provenance?: ExportProvenance,
): ExportFile[] {
  const stem = framesStem(params.name)
  const soundtrack = value.audio
    ? [wavExport(value.audio, { name: stem, format: 'pcm16' }, provenance)]
    : []
  // Made a window at a time (src/cli/frames-render.ts): the frames went to disk as they were
  // made; what is left is the soundtrack.
  if (value.range) return soundtrack
  const spectra = writesSpectra(value)
  const text8 = (s: string) => new TextEncoder().encode(s)
  const files: ExportFile[] = spectra
    ? [
        {
          fileName: `${stem}.csv`,
          type: 'text/csv',
          label: 'CSV',
          bytes: () => text8(spectraCsv(value)),
        },
        {
          fileName: `${stem}.json`,
          type: 'application/json',
          label: 'JSON',
          bytes: () => text8(spectraJson(value)),
        },
      ]
    : [
        pngTextExport(
          { fileName: `${stem}.zip`, type: 'application/zip', label: 'PNG zip' },
          provenance,
          (text) => framesZip(value, stem, text).bytes,
        ),
      ]
  return [...files, ...soundtrack]
}

/** The stem every file of a frame sequence shares (`clip` → clip.zip, clip.wav, clip/000001.png). */
export const framesStem = (name: string): string => safeFileStem(name, 'zip', 'frames')
