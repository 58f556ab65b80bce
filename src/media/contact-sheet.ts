/**
 * The listening room's contact sheet: every lane's spectrogram stacked on one time scale (a
 * shorter lane's strip ends where it ends), each under a line naming it with its loudness, true
 * peak, length and the gain it is played at. One level scale for all lanes, drawn as heard
 * (after each lane's gain), so a quieter lane looks quieter — unlike per-thumbnail peak scaling.
 * No DOM: the same code draws in Node (the CLI's `--listen`) and in the browser (the room's
 * export), text with the pixel font.
 *
 * Spectra: `spectrumFrames` (src/dsp/spectrum-frames.ts) at log-spaced frequencies, amplitude
 * 2|X|/Σw so a full-scale sine reads 0 dBFS, channels power-averaged; a column shows the loudest
 * of the frames that fall in it, so short events in long lanes are not skipped.
 */

import { spectrumFrames } from '../dsp/spectrum-frames'
import { colormap } from './colormap'
import { drawText, fitText, GLYPH_HEIGHT, LINE_HEIGHT, textWidth } from './pixel-font'
import type { PlanarImage } from './png'

export interface ContactSheetLane {
  label: string
  /** The audio as played: a three-channel reading already downmixed (`rgbToStereo`). */
  channels: readonly Float32Array[]
  sampleRate: number
  integratedLufs: number | null
  truePeakDbtp: number | null
  /** Gain it is played at (dB, default 0): the spectrogram is drawn with it applied. */
  gainDb?: number
}

export interface ContactSheetOptions {
  /** Picture width in pixels (default 960). */
  width?: number
  /** Height of each lane's spectrogram in pixels (default 120). */
  laneHeight?: number
  /** Levels shown below the loudest cell of the whole sheet (default 80 dB). */
  rangeDb?: number
  /** Lowest frequency drawn (default 30 Hz); the top is the highest lane's Nyquist. */
  minHz?: number
  /** A line above the lanes, e.g. the graph's name and the matched loudness. */
  title?: string
}

const FFT_SIZE = 2048
const SCALE = 2 // font pixels per glyph pixel for labels
const SMALL = 1
const PAD = 10
const AXIS = 36 // left margin for the frequency labels
const LINE = LINE_HEIGHT * SCALE + 6
const BACKGROUND = [0.07, 0.07, 0.08]
const ENDED = [0.14, 0.14, 0.16]
const TEXT = [0.92, 0.92, 0.9]
const DIM = [0.6, 0.6, 0.62]

/** "1:02.35": minutes, seconds and hundredths, as the room's clock shows time. */
export function formatDuration(seconds: number): string {
  const hundredths = Math.round(Math.max(0, seconds) * 100)
  const minutes = Math.floor(hundredths / 6000)
  const rest = (hundredths - minutes * 6000) / 100
  return `${minutes}:${rest.toFixed(2).padStart(5, '0')}`
}

/** "-23.4 LUFS", or "silent" when the gated signal is silent. */
export function formatLufs(lufs: number | null): string {
  return lufs === null ? 'silent' : `${lufs.toFixed(1)} LUFS`
}

/** "-1.2 dBTP", or "no peak" for digital silence. */
export function formatDbtp(dbtp: number | null): string {
  return dbtp === null ? 'no peak' : `${dbtp.toFixed(1)} dBTP`
}

/** "+3.2 dB" with its sign. */
export function formatGain(db: number): string {
  const tenths = Math.round(db * 10) / 10 || 0 // no "-0.0"
  return `${tenths >= 0 ? '+' : ''}${tenths.toFixed(1)} dB`
}

/** The line over a lane's strip. */
export function laneCaption(lane: ContactSheetLane): string {
  const length = formatDuration((lane.channels[0]?.length ?? 0) / lane.sampleRate)
  const gain = lane.gainDb ? `   gain ${formatGain(lane.gainDb)}` : ''
  return `${formatLufs(lane.integratedLufs)}   ${formatDbtp(lane.truePeakDbtp)}   ${length}${gain}`
}

interface Strip {
  columns: number
  /** dB per cell, row 0 the highest frequency, row-major (rows × columns). */
  db: Float32Array
}

/** Pixel heights of the sheet's parts, for the picture's size and for tests. */
export function contactSheetHeight(lanes: number, options: ContactSheetOptions = {}): number {
  const laneHeight = options.laneHeight ?? 120
  const title = options.title ? LINE : 0
  return PAD + title + lanes * (LINE + laneHeight + PAD) + GLYPH_HEIGHT * SMALL + 6 + PAD
}

/**
 * Draws the sheet: a title line when given, then per lane its label and caption over its
 * spectrogram, frequency labels at the left, and a time ruler under the last lane. A sheet of
 * no lanes is only its frame and title.
 */
export function buildContactSheet(
  lanes: readonly ContactSheetLane[],
  options: ContactSheetOptions = {},
): PlanarImage {
  const width = Math.max(320, Math.round(options.width ?? 960))
  const laneHeight = Math.max(24, Math.round(options.laneHeight ?? 120))
  const rangeDb = options.rangeDb ?? 80
  const height = contactSheetHeight(lanes.length, { ...options, laneHeight })
  const channels = [0, 1, 2].map((c) => new Float32Array(width * height).fill(BACKGROUND[c]))
  const image: PlanarImage = { width, height, channels }
  const plotLeft = PAD + AXIS
  const plotWidth = width - plotLeft - PAD
  const durations = lanes.map((l) => (l.channels[0]?.length ?? 0) / l.sampleRate)
  const longest = Math.max(0, ...durations)
  const minHz = options.minHz ?? 30
  const maxHz = Math.max(minHz * 2, ...lanes.map((l) => l.sampleRate / 2))

  const strips = lanes.map((lane, i) =>
    laneStrip(lane, longest > 0 ? Math.round((plotWidth * durations[i]) / longest) : 0, {
      rows: laneHeight,
      minHz,
      maxHz,
    }),
  )
  let top = -Infinity
  for (const s of strips) for (const v of s.db) if (v > top) top = v
  if (!Number.isFinite(top)) top = 0

  let y = PAD
  if (options.title) {
    drawText(image, fitText(options.title, width - 2 * PAD, SCALE), PAD, y, TEXT, SCALE)
    y += LINE
  }
  lanes.forEach((lane, i) => {
    const caption = laneCaption(lane)
    const captionWidth = textWidth(caption, SCALE)
    const label = fitText(`${i + 1}  ${lane.label}`, width - 2 * PAD - captionWidth - 24, SCALE)
    drawText(image, label, PAD, y, TEXT, SCALE)
    drawText(image, caption, width - PAD - captionWidth, y, DIM, SCALE)
    y += LINE
    fillRect(image, plotLeft, y, plotWidth, laneHeight, ENDED)
    paintStrip(image, strips[i], plotLeft, y, laneHeight, top, rangeDb)
    drawFrequencyLabels(image, y, laneHeight, minHz, maxHz)
    y += laneHeight + PAD
  })
  if (lanes.length > 0) drawRuler(image, plotLeft, plotWidth, y - PAD + 2, longest)
  return image
}

function laneStrip(
  lane: ContactSheetLane,
  columns: number,
  view: { rows: number; minHz: number; maxHz: number },
): Strip {
  const samples = lane.channels[0]?.length ?? 0
  const db = new Float32Array(view.rows * columns).fill(-Infinity)
  if (columns === 0 || samples === 0) return { columns, db }
  const durationSec = samples / lane.sampleRate
  // Up to 8 frames per column when columns are far apart, so no stretch goes unseen.
  const hop = (lane.sampleRate * durationSec) / columns
  const perColumn = Math.max(1, Math.min(8, Math.ceil(hop / FFT_SIZE)))
  const fps = (columns * perColumn) / durationSec
  const frames = spectrumFrames(lane.channels, lane.sampleRate, {
    fps,
    fftSize: FFT_SIZE,
    bins: view.rows,
    minHz: view.minHz,
    maxHz: Math.min(view.maxHz, lane.sampleRate / 2),
  })
  const gain = lane.gainDb ?? 0
  // Rows above this lane's own Nyquist (a lower-rate lane on a shared axis) stay empty.
  const ownRows = rowsBelow(lane.sampleRate / 2, view)
  frames.forEach((frame, f) => {
    const x = Math.min(columns - 1, Math.floor(f / perColumn))
    for (let j = 0; j < view.rows; j++) {
      // frame[j] spans the lane's own range; rescale its log bins onto the shared axis.
      const row = view.rows - 1 - Math.round((j * (ownRows - 1)) / Math.max(1, view.rows - 1))
      const v = 20 * Math.log10(Math.max(frame[j], 1e-12)) + gain
      const at = row * columns + x
      if (v > db[at]) db[at] = v
    }
  })
  return { columns, db }
}

/** How many rows of the shared log axis lie at or below `hz`. */
function rowsBelow(hz: number, view: { rows: number; minHz: number; maxHz: number }): number {
  const t = Math.log(hz / view.minHz) / Math.log(view.maxHz / view.minHz)
  return Math.max(2, Math.min(view.rows, Math.round(t * (view.rows - 1)) + 1))
}

function paintStrip(
  image: PlanarImage,
  strip: Strip,
  left: number,
  top: number,
  rows: number,
  peakDb: number,
  rangeDb: number,
): void {
  const { width, channels } = image
  for (let r = 0; r < rows; r++)
    for (let x = 0; x < strip.columns; x++) {
      const v = strip.db[r * strip.columns + x]
      const t = v === -Infinity ? 0 : Math.max(0, Math.min(1, (v - (peakDb - rangeDb)) / rangeDb))
      const rgb = colormap(t)
      const at = (top + r) * width + left + x
      for (let c = 0; c < 3; c++) channels[c][at] = rgb[c] / 255
    }
}

function fillRect(
  image: PlanarImage,
  x: number,
  y: number,
  w: number,
  h: number,
  colour: readonly number[],
): void {
  for (let r = Math.max(0, y); r < Math.min(image.height, y + h); r++)
    for (let c = Math.max(0, x); c < Math.min(image.width, x + w); c++)
      for (let ch = 0; ch < 3; ch++) image.channels[ch][r * image.width + c] = colour[ch]
}

function drawFrequencyLabels(
  image: PlanarImage,
  top: number,
  rows: number,
  minHz: number,
  maxHz: number,
): void {
  for (const [hz, text] of [
    [100, '100'],
    [1000, '1k'],
    [10000, '10k'],
  ] as const) {
    if (hz < minHz || hz > maxHz) continue
    const t = Math.log(hz / minHz) / Math.log(maxHz / minHz)
    const y = top + Math.round((1 - t) * (rows - 1))
    drawText(image, text, PAD + AXIS - 6 - textWidth(text, SMALL), y - 3, DIM, SMALL)
    fillRect(image, PAD + AXIS - 4, y, 3, 1, DIM)
  }
}

/** Ticks every 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10 min …, about 8 over the longest lane. */
function drawRuler(
  image: PlanarImage,
  left: number,
  width: number,
  y: number,
  longest: number,
): void {
  if (!(longest > 0)) return
  const steps = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600]
  const step = steps.find((s) => longest / s <= 8) ?? 3600
  for (let t = 0; t <= longest + 1e-9; t += step) {
    const x = left + Math.round((t / longest) * (width - 1))
    fillRect(image, x, y, 1, 3, DIM)
    const text = formatDuration(t).replace(/\.00$/, '')
    const tx = Math.min(image.width - PAD - textWidth(text, SMALL), Math.max(PAD, x - 2))
    drawText(image, text, tx, y + 4, DIM, SMALL)
  }
}
