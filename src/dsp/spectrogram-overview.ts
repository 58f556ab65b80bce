/**
 * A whole sound's spectrogram at a fixed size, for drawing it in a few hundred pixels however
 * long it is (the listening room's lanes): `columns` equal slices of time, `rows` frequencies.
 *
 * Column c covers samples [c·L/C, (c+1)·L/C). Its level per FFT bin is the mean power of up to
 * `framesPerColumn` Hann-windowed frames of `fftSize` samples centred evenly across the slice
 * (zeros outside the sound), averaged over channels too (powers, so phases cannot cancel).
 * Level: A_k = 2 |X_k| / Σ w_n, the amplitude of a sinusoid centred on bin k, so a full-scale
 * sine reads 0 dBFS (Heinzel, Rüdiger & Schilling 2002, §9), as spectrum-frames.ts.
 *
 * Rows, bottom (row 0) to top: 'linear' spaces them evenly from 0 Hz to Nyquist; 'log' from
 * `minHz` to Nyquist as f_r = minHz · (nyq / minHz)^(r / (R − 1)). A row reads the loudest FFT
 * bin in its band (so no tone between rows is lost), or the nearest bin where the band is
 * narrower than a bin (low frequencies on the log scale).
 */
import { createRealFft } from './fft'
import { makeWindow } from './window'

export interface OverviewOptions {
  columns: number
  rows: number
  fftSize: number
  framesPerColumn: number
  /** Lowest frequency of the log scale. */
  minHz: number
}

export interface SpectrogramOverview {
  columns: number
  rows: number
  /** Level in dBFS, row-major with row 0 the lowest frequency, per scale. */
  linear: Float32Array
  log: Float32Array
}

const FLOOR_POWER = 1e-14 // −140 dBFS: silence reads this, never −Infinity

export function spectrogramOverview(
  channels: readonly Float32Array[],
  sampleRate: number,
  options: OverviewOptions,
): SpectrogramOverview {
  const { columns, rows, fftSize, framesPerColumn, minHz } = options
  if (!(columns >= 1 && rows >= 2 && fftSize >= 2 && framesPerColumn >= 1))
    throw new RangeError('The overview needs at least 1 column, 2 rows and an FFT of 2')
  const length = channels[0]?.length ?? 0
  const fft = createRealFft(fftSize)
  const bins = fft.bins
  const window = makeWindow('hann', fftSize)
  let windowSum = 0
  for (const w of window) windowSum += w
  const scale = (2 / windowSum) ** 2
  const frame = new Float32Array(fftSize)
  const spectrum = new Float32Array(2 * bins)
  const power = new Float64Array(bins)
  const linearBands = bands(rows, bins, (r) => ((r / (rows - 1)) * sampleRate) / 2, sampleRate)
  const nyquist = sampleRate / 2
  const low = Math.min(minHz, nyquist / 2)
  const logBands = bands(rows, bins, (r) => low * (nyquist / low) ** (r / (rows - 1)), sampleRate)
  const linear = new Float32Array(rows * columns)
  const log = new Float32Array(rows * columns)
  const perColumn = length / columns
  const frames = Math.max(1, Math.min(framesPerColumn, Math.ceil(perColumn / (fftSize / 2))))
  for (let c = 0; c < columns; c++) {
    power.fill(0)
    let count = 0
    for (let f = 0; f < frames; f++) {
      const centre = Math.floor((c + (f + 0.5) / frames) * perColumn)
      const start = centre - fftSize / 2
      for (const channel of channels) {
        for (let i = 0; i < fftSize; i++) {
          const at = start + i
          frame[i] = at >= 0 && at < length ? channel[at] * window[i] : 0
        }
        fft.forwardInterleaved(frame, spectrum)
        for (let k = 0; k < bins; k++) {
          const re = spectrum[2 * k]
          const im = spectrum[2 * k + 1]
          power[k] += re * re + im * im
        }
        count++
      }
    }
    const norm = scale / Math.max(1, count)
    fillColumn(linear, linearBands, power, norm, c, columns)
    fillColumn(log, logBands, power, norm, c, columns)
  }
  return { columns, rows, linear, log }
}

/** FFT bin ranges [from, to] of each row, centred on `hzOf(row)`, halfway to the neighbours. */
function bands(
  rows: number,
  bins: number,
  hzOf: (row: number) => number,
  sampleRate: number,
): Int32Array {
  const binHz = sampleRate / (2 * (bins - 1))
  const out = new Int32Array(rows * 2)
  for (let r = 0; r < rows; r++) {
    const lo = r === 0 ? hzOf(0) : (hzOf(r - 1) + hzOf(r)) / 2
    const hi = r === rows - 1 ? hzOf(r) : (hzOf(r) + hzOf(r + 1)) / 2
    let from = Math.ceil(lo / binHz)
    let to = Math.floor(hi / binHz)
    if (to < from) from = to = Math.round(hzOf(r) / binHz) // narrower than a bin: the nearest
    out[2 * r] = Math.max(0, Math.min(bins - 1, from))
    out[2 * r + 1] = Math.max(0, Math.min(bins - 1, to))
  }
  return out
}

function fillColumn(
  into: Float32Array,
  rowBands: Int32Array,
  power: Float64Array,
  norm: number,
  column: number,
  columns: number,
): void {
  const rows = rowBands.length / 2
  for (let r = 0; r < rows; r++) {
    let peak = 0
    for (let k = rowBands[2 * r]; k <= rowBands[2 * r + 1]; k++)
      if (power[k] > peak) peak = power[k]
    into[r * columns + column] = 10 * Math.log10(peak * norm + FLOOR_POWER)
  }
}
