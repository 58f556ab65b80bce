import { describe, expect, it } from 'vitest'
import { spectrogramOverview } from '../../src/dsp/spectrogram-overview'

const options = { columns: 64, rows: 128, fftSize: 2048, framesPerColumn: 4, minHz: 30 }

function sine(hz: number, sampleRate: number, sec: number, amplitude = 1): Float32Array {
  const out = new Float32Array(Math.round(sampleRate * sec))
  for (let i = 0; i < out.length; i++)
    out[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate)
  return out
}

/** The row with the highest level in column c, and that level. */
function loudestRow(levels: Float32Array, rows: number, columns: number, c: number) {
  let best = 0
  for (let r = 1; r < rows; r++) if (levels[r * columns + c] > levels[best * columns + c]) best = r
  return { row: best, db: levels[best * columns + c] }
}

describe('spectrogramOverview', () => {
  const rate = 48_000
  const binHz = rate / 2048
  // A sine on a bin centre reads its amplitude exactly (Hann, no scalloping loss).
  const hz = 43 * binHz

  it('reads a full-scale sine as 0 dBFS at its frequency, on both scales', () => {
    const { linear, log } = spectrogramOverview([sine(hz, rate, 4)], rate, options)
    const c = 32
    const lin = loudestRow(linear, options.rows, options.columns, c)
    expect(lin.db).toBeCloseTo(0, 1)
    const linHz = ((lin.row / (options.rows - 1)) * rate) / 2
    expect(Math.abs(linHz - hz)).toBeLessThan(rate / 2 / (options.rows - 1))
    const lg = loudestRow(log, options.rows, options.columns, c)
    expect(lg.db).toBeCloseTo(0, 1)
    const logHz = options.minHz * (rate / 2 / options.minHz) ** (lg.row / (options.rows - 1))
    expect(Math.abs(Math.log2(logHz / hz))).toBeLessThan(0.1)
  })

  it('scales with amplitude and averages channels by power', () => {
    const quiet = sine(hz, rate, 2, 0.1) // −20 dB
    const { linear } = spectrogramOverview([quiet, new Float32Array(quiet.length)], rate, options)
    // Mean power of (0.1², 0) is half of 0.1²: −20 − 3.01 dB.
    expect(loudestRow(linear, options.rows, options.columns, 20).db).toBeCloseTo(-23.01, 1)
  })

  it('gives silence the floor, never −Infinity or NaN', () => {
    const { linear, log } = spectrogramOverview([new Float32Array(rate)], rate, options)
    for (const v of [...linear, ...log]) expect(v).toBeCloseTo(-140, 6)
  })

  it('keeps its size whatever the length, and refuses a degenerate size', () => {
    const long = spectrogramOverview([new Float32Array(rate * 60)], rate, options)
    expect(long.linear).toHaveLength(options.rows * options.columns)
    const short = spectrogramOverview([new Float32Array(100)], rate, options)
    expect(short.log).toHaveLength(options.rows * options.columns)
    expect(() =>
      spectrogramOverview([new Float32Array(10)], rate, { ...options, rows: 1 }),
    ).toThrow(/at least/)
  })
})
