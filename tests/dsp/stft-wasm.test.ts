import { beforeAll, describe, expect, it } from 'vitest'
import { initFastFft, mixedRadixModule, setDefaultFftBackend } from '../../src/dsp/fft'
import type { MixedRadixModule } from '../../src/dsp/fft-wasm'
import { timeStretch } from '../../src/dsp/phase-vocoder'
import { setStretchChunkSteps } from '../../src/dsp/phase-vocoder-wasm'
import { istftComplex, stft, stftComplex, type StftOptions } from '../../src/dsp/stft'
import {
  overlapAddWasm,
  stftExports,
  stftWasm,
  WasmArena,
  withoutWasmFrames,
} from '../../src/dsp/stft-wasm'
import { mulberry32 } from '../helpers/run-context'
import { snrDb } from '../helpers/reference-dsp'

let mod: MixedRadixModule
beforeAll(async () => {
  await initFastFft()
  const loaded = mixedRadixModule()
  if (!loaded) throw new Error('the mixed-radix WASM module did not load')
  mod = loaded
})

const noise = (length: number, seed: number): Float32Array => {
  const random = mulberry32(seed)
  return Float32Array.from({ length }, () => random() * 2 - 1)
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length)
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]))
  return worst
}

/** Bit for bit (toEqual is slow on large typed arrays). */
const identical = (a: Float32Array, b: Float32Array): boolean =>
  a.length === b.length &&
  Buffer.compare(
    new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
    new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
  ) === 0

const peakOf = (values: ArrayLike<number>): number => {
  let peak = 0
  for (let i = 0; i < values.length; i++) peak = Math.max(peak, Math.abs(values[i]))
  return peak
}

/** The STFT the nodes run by default: a Hann window, frames centred, the ends reflected. */
const centredHann = (fftSize: number, hopSize: number): StftOptions => ({
  fftSize,
  hopSize,
  window: 'hann',
  center: true,
  padMode: 'reflect',
})

// Sizes: powers of 2 (PFFFT's in JavaScript), the notebook's 598 (2·13·23), odd 1001, 808
// (2³·101), 17,640 (Riffusion's, 2³·3²·5·7²), and odd hops.
const SIZES = [
  [512, 128],
  [598, 299],
  [1001, 250],
  [808, 202], // 2·4·101: a generic radix-101 stage
  [1024, 256],
  [2048, 512],
  [17640, 441],
] as const

describe('STFT in WASM against the JavaScript path', () => {
  it.each(SIZES)('agrees bin for bin at N %i, hop %i (complex, |X|, |X|², phase)', (n, hop) => {
    const x = noise(3 * n + 777, n)
    const options = centredHann(n, hop)
    const wasm = stftWasm(mod, x, options, 'complex')
    if (!wasm) throw new Error(`the WASM STFT did not take N ${n}`)
    const js = withoutWasmFrames(() => stftComplex(x, options))
    // Both are float32 FFTs of the same windowed frames: each value is off by a few ε·log2(N)
    // of the frame's peak (ε = 2^−24), here ≤ 1.5e-6 of it; 4e-6 fails any real difference
    // (a frame or bin out of place, a wrong window or padding move values by whole percent).
    const peak = Math.max(peakOf(js.re), peakOf(js.im))
    expect(maxAbsDiff(wasm[0], js.re)).toBeLessThan(4e-6 * peak)
    expect(maxAbsDiff(wasm[1], js.im)).toBeLessThan(4e-6 * peak)
    const complex = stftComplex(x, options) // the WASM path stft.ts takes
    expect(identical(complex.re, wasm[0]) && identical(complex.im, wasm[1])).toBe(true)

    const magnitude = withoutWasmFrames(() => stft(x, { ...options, power: 1 })).values
    expect(maxAbsDiff(stft(x, { ...options, power: 1 }).values, magnitude)).toBeLessThan(
      4e-6 * peak,
    )
    const power = withoutWasmFrames(() => stft(x, { ...options, power: 2, keepPhase: true }))
    const fast = stft(x, { ...options, power: 2, keepPhase: true })
    expect(maxAbsDiff(fast.values, power.values)).toBeLessThan(8e-6 * peak * peak)
    expect(identical(fast.values, stft(x, { ...options, power: 2 }).values)).toBe(true)
    // The phase of bins well above the rounding: within an angle of 4e-6·peak / |X|.
    const phase = fast.phase ?? new Float32Array()
    const reference = power.phase ?? new Float32Array()
    let worst = 0
    magnitude.forEach((m, i) => {
      if (m < 1e-3 * peak) return
      const turn = phase[i] - reference[i]
      worst = Math.max(worst, Math.abs(Math.atan2(Math.sin(turn), Math.cos(turn))) * m)
    })
    expect(worst).toBeLessThan(4e-6 * peak)
  })

  it('pads and windows as the JavaScript path: constant padding, short windows, uncentred', () => {
    const x = noise(5000, 3)
    for (const options of [
      { fftSize: 600, hopSize: 100, window: 'blackman', center: true, padMode: 'constant' },
      {
        fftSize: 512,
        hopSize: 160,
        window: 'hamming',
        windowLength: 400,
        center: true,
        padMode: 'reflect',
      },
      { fftSize: 510, hopSize: 37, window: 'rectangular', center: false, padMode: 'reflect' },
    ] satisfies StftOptions[]) {
      const wasm = stftWasm(mod, x, options, 'complex')
      if (!wasm) throw new Error(`the WASM STFT did not take N ${options.fftSize}`)
      const js = withoutWasmFrames(() => stftComplex(x, options))
      const peak = Math.max(peakOf(js.re), peakOf(js.im))
      expect(maxAbsDiff(wasm[0], js.re)).toBeLessThan(4e-6 * peak)
      expect(maxAbsDiff(wasm[1], js.im)).toBeLessThan(4e-6 * peak)
    }
  })
})

describe('the WASM paths with a full module memory', () => {
  it('hand back null (the callers then run JavaScript) and free what they took', () => {
    const options = centredHann(512, 128)
    const x = noise(4000, 11)
    const spec = stftComplex(x, options)
    let taken = 0
    let freed = 0
    const full: MixedRadixModule = {
      ...mod,
      alloc(floats) {
        if (taken === 2) throw new RangeError('The FFT’s memory cannot hold more floats')
        taken++
        return mod.alloc(floats)
      },
      release(offset) {
        freed++
        mod.release(offset)
      },
    }
    expect(stftWasm(full, x, options, 'complex')).toBeNull()
    expect(freed).toBe(taken)
    taken = 0
    freed = 0
    expect(overlapAddWasm(full, spec, options, (sum) => sum.slice())).toBeNull()
    expect(freed).toBe(taken)
  })
})

describe('ISTFT in WASM against the JavaScript path', () => {
  it.each(SIZES)('agrees sample for sample at N %i, hop %i', (n, hop) => {
    const options = centredHann(n, hop)
    const x = noise(4 * n + 333, n + 1)
    const spec = stftComplex(x, options)
    const wasm = overlapAddWasm(mod, spec, options, (sum) => sum.slice())
    if (!wasm) throw new Error(`the WASM ISTFT did not take N ${n}`)
    const js = withoutWasmFrames(() => istftComplex(spec, options, x.length))
    const fast = istftComplex(spec, options, x.length)
    // Samples are ≤ 1 and both invert a float32 spectrum with float32 FFTs: ≤ a few ε·log2(N)
    // (measured ≤ 3e-7); both within float32 precision of x itself.
    expect(maxAbsDiff(fast, js)).toBeLessThan(2e-6)
    expect(maxAbsDiff(fast, x)).toBeLessThan(1e-5)
  })
})

describe('the time stretch in WASM against the JavaScript loop', () => {
  it.each([
    [512, 128, 3],
    [512, 128, 0.37],
    [512, 100, 0.1], // ten frames per step: the ring of analysed frames at its largest
    [598, 150, 1.7],
    [1001, 256, 2],
    [1024, 256, 0.5],
    [2048, 512, 3],
  ])('agrees at N %i, hop %i, stretch %f', (n, hop, stretch) => {
    const x = noise(20000, n)
    const options = { fftSize: n, hopSize: hop, window: 'hann' as const }
    const js = withoutWasmFrames(() => timeStretch(x, stretch, options))
    const wasm = timeStretch(x, stretch, options)
    expect(wasm.length).toBe(Math.round(stretch * x.length))
    expect(wasm.every(Number.isFinite)).toBe(true)
    // The module holds the sum a window of steps at a time: a window of 8 steps gives the same
    // samples, bit for bit, as one window for the whole sound.
    setStretchChunkSteps(8)
    try {
      expect(identical(timeStretch(x, stretch, options), wasm)).toBe(true)
    } finally {
      setStretchChunkSteps(4096)
    }
    // The JavaScript loop over float64 FFTs (fft.js) as the yardstick: the accumulated phase
    // integrates every difference in an angle (noise has bins near zero, whose angle a rounding
    // turns), so the JavaScript loop over float32 FFTs already differs from it by 60–85 dB here.
    // The WASM loop must be as close to it, within 3 dB (measured: within 2 dB, both ways);
    // a wrong step, weight, advance or frame gives < 20 dB.
    setDefaultFftBackend('js')
    let exact: Float32Array
    try {
      exact = timeStretch(x, stretch, options)
    } finally {
      setDefaultFftBackend('auto')
    }
    expect(snrDb(exact, wasm)).toBeGreaterThan(snrDb(exact, js) - 3)
    expect(snrDb(js, wasm)).toBeGreaterThan(55)
  })
})

describe("the vocoder's atan2 and sincos", () => {
  function run(values: Float64Array[], outputs: number, call: (...pointers: number[]) => void) {
    const arena = new WasmArena(mod)
    try {
      const count = values[0].length
      const at = [...values, ...Array.from({ length: outputs }, () => new Float64Array(count))].map(
        (v) => {
          const offset = arena.floats(2 * count)
          new Float64Array(mod.exports.memory.buffer, offset * 4, count).set(v)
          return offset * 4
        },
      )
      call(...at, count)
      return at
        .slice(values.length)
        .map((offset) => new Float64Array(mod.exports.memory.buffer, offset, count).slice())
    } finally {
      arena.free()
    }
  }

  it('atan2 is within 2 ulp of Math.atan2, rounds to the same float32, and keeps signed zeros', () => {
    const random = mulberry32(5)
    const count = 200000
    const y = new Float64Array(count)
    const x = new Float64Array(count)
    for (let i = 0; i < count; i++) {
      // float32 values, as the spectra are, over many magnitudes and every quadrant
      y[i] = Math.fround((random() - 0.5) * 10 ** (6 * random() - 3))
      x[i] = Math.fround((random() - 0.5) * 10 ** (6 * random() - 3))
    }
    const edges = [0, -0, 1, -1, 1e-30, -1e-30, 3, -3]
    edges.forEach((a, i) =>
      edges.forEach((b, j) => {
        y[8 * i + j] = a
        x[8 * i + j] = b
      }),
    )
    const [out] = run([y, x], 1, (...p) => stftExports(mod).st_check_atan2(p[0], p[1], p[2], p[3]))
    let worstUlp = 0
    let roundedApart = 0
    for (let i = 0; i < count; i++) {
      const expected = Math.atan2(y[i], x[i])
      if (expected === 0) expect(Object.is(out[i], expected)).toBe(true)
      const ulp = Math.abs(expected) * 2 ** -52 || Number.MIN_VALUE
      worstUlp = Math.max(worstUlp, Math.abs(out[i] - expected) / ulp)
      if (Math.fround(out[i]) !== Math.fround(expected)) roundedApart++
    }
    expect(worstUlp).toBeLessThanOrEqual(2)
    // Two roundings can differ only where atan2 lies within 2 ulp of a double of a float32
    // midpoint: about 2^−28 of the values.
    expect(roundedApart).toBeLessThanOrEqual(1)
  })

  it('sincos4 is within 2^−24 of Math.fround(sin) and Math.fround(cos) up to 1e8 rad', () => {
    const random = mulberry32(6)
    const count = 200000
    const x = new Float32Array(count)
    for (let i = 0; i < count; i++) x[i] = (random() - 0.5) * 2 * 10 ** (8 * random())
    x.set([0, Math.PI / 4, Math.PI / 2, Math.PI, -Math.PI, 1e8, -1e8])
    const arena = new WasmArena(mod)
    let sine: Float32Array
    let cosine: Float32Array
    try {
      const [at, s, c] = [arena.copy(x), arena.floats(count), arena.floats(count)]
      stftExports(mod).st_check_sincos4(at * 4, s * 4, c * 4, count)
      sine = mod.heap().slice(s, s + count)
      cosine = mod.heap().slice(c, c + count)
    } finally {
      arena.free()
    }
    // The reduction is sincos.ts's, in double (~1e-11); the float32 polynomials err by about an
    // ulp of float32 (2^−24 at 0.5 … 1), against the float32 the JavaScript rounds to.
    let worst = 0
    for (let i = 0; i < count; i++) {
      worst = Math.max(
        worst,
        Math.abs(sine[i] - Math.fround(Math.sin(x[i]))),
        Math.abs(cosine[i] - Math.fround(Math.cos(x[i]))),
      )
    }
    expect(worst).toBeLessThanOrEqual(2 ** -24)
  })
})
