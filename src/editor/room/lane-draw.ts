import type { PastEnd } from '../../engine/document'
import type { AudioValue } from '../../engine/values'
import { colormap } from '../../media/colormap'
import type { LaneAnalysis } from './lane-analysis'

/** The part of the ruler in view, in seconds. */
export interface TimeView {
  startSec: number
  endSec: number
}

export interface LaneDrawing {
  analysis: LaneAnalysis
  audio?: AudioValue
  view: TimeView
  pastEnd: PastEnd
  frequency: 'linear' | 'log'
  /** Linear gain the lane plays at (loudness matching), so the waveform shows what is heard. */
  gain: number
  /** Draw the spectrogram; false in blind tests (it would give the reading away). */
  spectrogram: boolean
  waveColor: string
}

/** Visible samples below which a zoomed-in waveform is read from the sound itself. */
const SAMPLES_FROM_SOUND = 2_000_000
/** Waveform share of a lane's height; the spectrogram has the rest. */
export const WAVE_SHARE = 0.34

const bitmaps = new WeakMap<Uint8Array, HTMLCanvasElement>()

/** The spectrogram overview as a picture (columns × rows, low at the bottom), made once. */
function spectrogramBitmap(levels: Uint8Array, columns: number, rows: number): HTMLCanvasElement {
  const known = bitmaps.get(levels)
  if (known) return known
  const canvas = document.createElement('canvas')
  canvas.width = columns
  canvas.height = rows
  const image = new ImageData(columns, rows)
  const lut = new Uint8Array(256 * 3)
  for (let i = 0; i < 256; i++) lut.set(colormap(i / 255), i * 3)
  for (let r = 0; r < rows; r++) {
    const y = rows - 1 - r
    for (let c = 0; c < columns; c++) {
      const v = levels[r * columns + c] * 3
      const o = (y * columns + c) * 4
      image.data[o] = lut[v]
      image.data[o + 1] = lut[v + 1]
      image.data[o + 2] = lut[v + 2]
      image.data[o + 3] = 255
    }
  }
  canvas.getContext('2d')?.putImageData(image, 0, 0)
  bitmaps.set(levels, canvas)
  return canvas
}

/**
 * The stretches of the view a lane has sound in: its own time `[from, to)` drawn at ruler
 * time `at`; repeats (a looping lane past its end) are marked, to be drawn dimmer.
 */
export function laneSegments(
  durationSec: number,
  view: TimeView,
  pastEnd: PastEnd,
): { at: number; from: number; to: number; repeat: boolean }[] {
  const out: { at: number; from: number; to: number; repeat: boolean }[] = []
  if (durationSec <= 0 || view.endSec <= view.startSec) return out
  const last = pastEnd === 'loop' ? Math.floor(view.endSec / durationSec) : 0
  for (let k = Math.max(0, Math.floor(view.startSec / durationSec)); k <= last; k++) {
    const begin = Math.max(view.startSec, k * durationSec)
    const end = Math.min(view.endSec, (k + 1) * durationSec)
    if (end <= begin) continue
    out.push({ at: begin, from: begin - k * durationSec, to: end - k * durationSec, repeat: k > 0 })
    if (out.length > 400) break // a tiny lane under a long ruler: enough to fill the view
  }
  return out
}

/** Draws a lane: waveform above, spectrogram below, over the visible part of the ruler. */
export function drawLane(
  context: CanvasRenderingContext2D,
  width: number,
  height: number,
  d: LaneDrawing,
): void {
  context.clearRect(0, 0, width, height)
  const { analysis, view } = d
  const span = view.endSec - view.startSec
  const xOf = (sec: number) => ((sec - view.startSec) / span) * width
  const waveHeight = d.spectrogram ? Math.round(height * WAVE_SHARE) : height
  const segments = laneSegments(analysis.durationSec, view, d.pastEnd)
  const { spectrogram: s } = analysis
  const bitmap = d.spectrogram
    ? spectrogramBitmap(d.frequency === 'log' ? s.log : s.linear, s.columns, s.rows)
    : undefined
  for (const seg of segments) {
    const x0 = xOf(seg.at)
    const x1 = xOf(seg.at + (seg.to - seg.from))
    context.globalAlpha = seg.repeat ? 0.4 : 1
    if (bitmap) {
      const c0 = (seg.from / analysis.durationSec) * s.columns
      const c1 = (seg.to / analysis.durationSec) * s.columns
      context.imageSmoothingEnabled = c1 - c0 < x1 - x0
      context.drawImage(
        bitmap,
        c0,
        0,
        Math.max(1e-3, c1 - c0),
        s.rows,
        x0,
        waveHeight,
        x1 - x0,
        height - waveHeight,
      )
    }
    drawWave(context, d, seg, x0, x1, waveHeight)
  }
  context.globalAlpha = 1
  // Past the end of a lane that falls silent: a quiet hatch, so "nothing here" is visible.
  const end = xOf(analysis.durationSec)
  if (d.pastEnd === 'silence' && end < width) {
    context.fillStyle = 'rgba(255,255,255,0.03)'
    context.fillRect(Math.max(0, end), 0, width - Math.max(0, end), height)
    context.fillStyle = 'rgba(255,255,255,0.18)'
    context.fillRect(Math.max(0, end), 0, 1, height)
  }
}

function drawWave(
  context: CanvasRenderingContext2D,
  d: LaneDrawing,
  seg: { from: number; to: number },
  x0: number,
  x1: number,
  height: number,
): void {
  const { analysis, audio } = d
  const mid = height / 2
  context.fillStyle = 'rgba(255,255,255,0.07)'
  context.fillRect(x0, Math.round(mid), x1 - x0, 1)
  context.fillStyle = d.waveColor
  const pixels = Math.max(1, Math.ceil(x1 - x0))
  const perPixel = (seg.to - seg.from) / pixels
  const sr = analysis.sampleRate
  const fromSound =
    audio !== undefined && (seg.to - seg.from) * sr * audio.channels.length < SAMPLES_FROM_SOUND
  const { min, max } = analysis.peaks
  const columns = min.length
  for (let p = 0; p < pixels; p++) {
    const t0 = seg.from + p * perPixel
    const t1 = t0 + perPixel
    let lo = Infinity
    let hi = -Infinity
    if (fromSound && audio) {
      const a = Math.floor(t0 * sr)
      const b = Math.max(a + 1, Math.floor(t1 * sr))
      for (const channel of audio.channels) {
        for (let i = a; i < b && i < channel.length; i++) {
          const v = channel[i]
          if (v < lo) lo = v
          if (v > hi) hi = v
        }
      }
    } else {
      const a = Math.floor((t0 / analysis.durationSec) * columns)
      const b = Math.max(a + 1, Math.ceil((t1 / analysis.durationSec) * columns))
      for (let c = a; c < b && c < columns; c++) {
        if (min[c] < lo) lo = min[c]
        if (max[c] > hi) hi = max[c]
      }
    }
    if (!Number.isFinite(lo)) continue
    const top = mid - Math.max(-1, Math.min(1, hi * d.gain)) * (mid - 1)
    const bottom = mid - Math.max(-1, Math.min(1, lo * d.gain)) * (mid - 1)
    context.fillRect(x0 + p, top, 1, Math.max(1, bottom - top))
  }
}

/** Shortest view the zoom reaches: 50 ms, a few cycles of a low note. */
export const MIN_VIEW_SEC = 0.05

/**
 * The view zoomed by `factor` (< 1 in) around the ruler time at fraction `at` (0..1) of the
 * view, which stays under the pointer; kept inside [0, fullSec]. Undefined means all of it.
 */
export function zoomView(
  view: TimeView,
  fullSec: number,
  factor: number,
  at: number,
): TimeView | undefined {
  const span = view.endSec - view.startSec
  const next = Math.max(MIN_VIEW_SEC, Math.min(fullSec, span * factor))
  if (next >= fullSec - 1e-9) return undefined
  const pivot = view.startSec + at * span
  return clampView(pivot - at * next, next, fullSec)
}

/** The view moved by `deltaSec`, kept inside [0, fullSec]. */
export function panView(view: TimeView, fullSec: number, deltaSec: number): TimeView | undefined {
  const span = view.endSec - view.startSec
  if (span >= fullSec - 1e-9) return undefined
  return clampView(view.startSec + deltaSec, span, fullSec)
}

function clampView(startSec: number, span: number, fullSec: number): TimeView {
  const start = Math.max(0, Math.min(fullSec - span, startSec))
  return { startSec: start, endSec: start + span }
}
