/**
 * Spectra frames as CSV, one row per frame: `time_s`, then one column per bin headed by its
 * frequency in Hz. Levels are written with the fewest digits that read back as the same
 * float32 (at most 9 significant), so a round trip is exact.
 */
import { UserError } from '../engine/errors'
import type { FramesValue } from '../engine/values'

/** The shortest decimal text that parses back to the same float32 as `v`. */
export function float32Text(v: number): string {
  const target = Math.fround(v)
  for (let digits = 1; digits < 9; digits++) {
    const text = target.toPrecision(digits)
    if (Math.fround(Number(text)) === target) return String(Number(text))
  }
  return String(Number(target.toPrecision(9)))
}

/** The CSV of spectra frames (first channel, first row of each frame). */
export function spectraCsv(value: FramesValue): string {
  if (!value.binHz || value.height !== 1)
    throw new UserError(
      'Only spectra (from Spectrum Frames) can be saved as CSV.',
      'Connect the Spectrum Frames output, or save the frames as PNG images instead.',
    )
  const header = ['time_s', ...value.binHz.map((hz) => String(+hz.toFixed(3)))].join(',')
  const rows = value.frames.map((frame, i) => {
    const time = String(+(i / value.fps).toFixed(6))
    return [time, ...Array.from(frame[0], float32Text)].join(',')
  })
  return `${[header, ...rows].join('\n')}\n`
}

/**
 * What a reader of the CSV needs to know about it (written beside it as JSON): the sound's
 * rate, samples per frame, FFT length, how many bins and how they were chosen, and each
 * column's frequency.
 */
export function spectraJson(value: FramesValue): string {
  const analysis = value.analysis
  const info = {
    fps: value.fps,
    frames: value.frames.length,
    ...(analysis
      ? {
          sampleRate: analysis.sampleRate,
          chunkSamples: analysis.chunkSamples,
          windowSamples: analysis.windowSamples,
        }
      : {}),
    bins: value.width,
    binning: analysis?.binning ?? 'log-bands',
    binHz: value.binHz ?? [],
  }
  return `${JSON.stringify(info, null, 2)}\n`
}

export interface ParsedSpectraCsv {
  timesSec: number[]
  binHz: number[]
  levels: Float32Array[]
}

/** Reads a CSV written by `spectraCsv` (or any with that header and layout). */
export function parseSpectraCsv(text: string): ParsedSpectraCsv {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '')
  const [head, ...rows] = lines
  const columns = head?.split(',') ?? []
  if (columns[0] !== 'time_s' || columns.length < 2)
    throw new UserError('This CSV has no "time_s" column first.', 'Export it from Spectrum Frames.')
  const binHz = columns.slice(1).map(Number)
  const timesSec: number[] = []
  const levels = rows.map((row, r) => {
    const cells = row.split(',').map(Number)
    if (cells.length !== columns.length || cells.some((v) => !Number.isFinite(v)))
      throw new UserError(`Row ${r + 2} of the CSV is not ${columns.length} numbers.`)
    timesSec.push(cells[0])
    return Float32Array.from(cells.slice(1))
  })
  return { timesSec, binHz, levels }
}
