import { beforeAll, describe, expect, it } from 'vitest'
import {
  createRealFft,
  fastFftStatus,
  initFastFft,
  mixedRadixModule,
  setDefaultFftBackend,
  type RealFft,
} from '../../src/dsp/fft'
import {
  mixedRadixSupports,
  raderFirstSupports,
  createMixedRadixPlan,
  raderSupports,
} from '../../src/dsp/fft-wasm'
import { mulberry32 } from '../helpers/run-context'
import { dft } from '../helpers/reference-dsp'

function randomSignal(n: number, seed: number): Float64Array {
  const random = mulberry32(seed)
  return Float64Array.from({ length: n }, () => 2 * random() - 1)
}

/** max |a − b| over the bins, relative to the RMS spectral magnitude √N·rms(x) = ‖x‖. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>, scale: number): number {
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]))
  return worst / scale
}

const norm = (x: ArrayLike<number>): number =>
  Math.sqrt(Array.from(x).reduce((s, v) => s + v * v, 0))

// Every path: trivial sizes (JS), PFFFT sizes (1024, 2048), the mixed-radix FFT on four lanes
// (600, 1960 = 2³·5·7²) and on scalars (598 = 2·13·23, 2058 = 2·3·7³), Bluestein (1025 = 5²·41);
// the generic odd radix on each prime it takes (11 … 31, alone and as 2p), and odd sizes by
// their real first stage (fft.c, odd_real_stages: 1029 = 3·7³, 1001 = 7·11·13, 375 = 3·5³ whose
// rows are fewer than four, 45 = 3²·5 at the smallest such M).
const SIZES = [
  1, 2, 3, 5, 7, 11, 13, 16, 17, 19, 22, 23, 26, 29, 31, 34, 38, 45, 46, 58, 62, 375, 598, 600,
  1001, 1024, 1025, 1029, 1960, 2048, 2058,
]

// Tolerances. The JS backends compute in float64: rounding error grows like ε·log2(N)·‖x‖
// (Bluestein adds two more transforms of size ≤ 4N), so 1e-12 of ‖x‖ leaves a wide margin.
// PFFFT computes in float32 (ε = 6e-8): 1e-5 of ‖x‖ allows ~log2(N)·ε with margin, and still
// catches any real mistake (a wrong twiddle or bin is an O(1) error).
const JS_TOLERANCE = 1e-12
const PFFFT_TOLERANCE = 1e-5

beforeAll(async () => {
  await initFastFft()
})

describe.each([
  ['js', 'js'],
  ['auto (PFFFT where it can)', 'auto'],
] as const)('real FFT, backend %s', (_label, backend) => {
  const tolerance = (fft: RealFft): number =>
    fft.backend === 'js' ? JS_TOLERANCE : PFFFT_TOLERANCE

  it.each(SIZES)('matches the DFT definition for N = %i', (n) => {
    const x = randomSignal(n, n)
    const fft = createRealFft(n, { backend })
    const { re, im } = fft.forward(x)
    const expected = dft(x)
    expect(re.length).toBe(Math.floor(n / 2) + 1)
    expect(relativeError(re, expected.re, norm(x))).toBeLessThan(tolerance(fft))
    expect(relativeError(im, expected.im, norm(x))).toBeLessThan(tolerance(fft))
  })

  it.each(SIZES)('inverts its forward transform for N = %i', (n) => {
    const x = randomSignal(n, 100 + n)
    const fft = createRealFft(n, { backend })
    const { re, im } = fft.forward(x)
    const back = fft.inverse(re, im)
    expect(relativeError(back, x, norm(x) / Math.sqrt(n))).toBeLessThan(10 * tolerance(fft))
  })

  it.each(SIZES.filter((n) => n > 1))('keeps energy (Parseval) for N = %i', (n) => {
    // Σ|x|² = (1/N)·(|X0|² + 2Σ_{0<k<N/2}|Xk|² + |X_{N/2}|² when N is even)
    const x = randomSignal(n, 200 + n)
    const { re, im } = createRealFft(n, { backend }).forward(x)
    let energy = 0
    for (let k = 0; k < re.length; k++) {
      const weight = k === 0 || (n % 2 === 0 && k === n / 2) ? 1 : 2
      energy += weight * (re[k] * re[k] + im[k] * im[k])
    }
    const timeEnergy = norm(x) ** 2
    expect(Math.abs(energy / n - timeEnergy) / timeEnergy).toBeLessThan(1e-5)
  })

  it.each(SIZES)('gives the same spectrum interleaved for N = %i', (n) => {
    const x = randomSignal(n, 400 + n)
    const fft = createRealFft(n, { backend })
    const { re, im } = fft.forward(x)
    const interleaved = new Float64Array(2 * fft.bins)
    fft.forwardInterleaved(x, interleaved)
    re.forEach((v, k) => expect(interleaved[2 * k]).toBe(v))
    im.forEach((v, k) => expect(interleaved[2 * k + 1]).toBe(v))
    const scaled = new Float64Array(n)
    const unscaled = new Float64Array(n)
    fft.inverseInterleaved(interleaved, scaled)
    fft.inverseInterleaved(interleaved, unscaled, false)
    expect(relativeError(scaled, x, norm(x) / Math.sqrt(n))).toBeLessThan(10 * tolerance(fft))
    unscaled.forEach((v, i) => expect(v / n).toBeCloseTo(scaled[i], 5))
  })

  it.each(SIZES)('transforms the frames of a block where they lie for N = %i', (n) => {
    const fft = createRealFft(n, { backend })
    const block = fft.createBlock(3, 2)
    // A block holds float32 values: rounding costs 6e-8 of the largest |X_k|, a few ‖x‖.
    const blockTolerance = Math.max(tolerance(fft), 1e-6)
    try {
      expect(block.margin).toBe(4)
      expect(block.stride).toBeGreaterThanOrEqual(2 * fft.bins + 8)
      const spectra = [0, 1, 2].map((j) => {
        const x = Float64Array.from(Float32Array.from(randomSignal(n, 500 + 10 * n + j)))
        block.memory().set(x, block.time)
        block.forward(j)
        const expected = new Float64Array(2 * fft.bins)
        fft.forwardInterleaved(x, expected)
        return { x, expected }
      })
      const memory = block.memory()
      spectra.forEach(({ x, expected }, j) => {
        const at = block.spectra + j * block.stride
        const slot = memory.subarray(at, at + 2 * fft.bins)
        expect(relativeError(slot, expected, norm(x))).toBeLessThan(blockTolerance)
        expect(slot[1]).toBe(0)
        if (n % 2 === 0) expect(slot[n + 1]).toBe(0)
        slot[1] = 123 // the imaginary part of X_0 is ignored, as irfft ignores it
        block.inverse(j)
        const back = block.memory().subarray(block.time, block.time + n)
        const scale = norm(x) / Math.sqrt(n)
        expect(
          relativeError(
            back.map((v) => v / n),
            x,
            scale,
          ),
        ).toBeLessThan(10 * blockTolerance)
        expect(block.memory()[at + 1]).toBe(123) // and left as it was
      })
    } finally {
      block.free()
    }
  })

  it('writes into caller buffers of either float type', () => {
    const fft = createRealFft(16, { backend })
    const re = new Float32Array(9)
    const im = new Float32Array(9)
    const x = new Float32Array(16).fill(1)
    const out = fft.forward(x, re, im)
    expect(out.re).toBe(re)
    expect(re[0]).toBeCloseTo(16, 4)
    expect(Math.max(...Array.from(re.subarray(1)).map(Math.abs))).toBeLessThan(1e-5)
    const y = fft.inverse(re, im, new Float32Array(16))
    expect(Array.from(y).every((v) => Math.abs(v - 1) < 1e-6)).toBe(true)
  })
})

describe('the fast backend', () => {
  it('scales an inverse into float32 in the module as the JavaScript loop does, bit for bit', () => {
    // fft.ts: fx_scale makes float(double(x)·(1/n)); into float64 the loop keeps the double.
    for (const n of [4801, 1552, 598, 1031]) {
      const fft = createRealFft(n)
      expect(fft.backend).toBe('mixed-radix')
      const spectrum = new Float32Array(2 * fft.bins)
      fft.forwardInterleaved(Float32Array.from(randomSignal(n, n)), spectrum)
      const single = new Float32Array(n)
      const double = new Float64Array(n)
      fft.inverseInterleaved(spectrum, single)
      fft.inverseInterleaved(spectrum, double)
      expect(Array.from(single)).toEqual(Array.from(double, Math.fround))
      expect(double.some((v) => v !== Math.fround(v))).toBe(true)
    }
  })

  it('loads in Node', () => {
    expect(fastFftStatus()).toEqual({ ready: true, failure: undefined })
    expect(createRealFft(2048).backend).toBe('pffft')
    expect(createRealFft(598).backend).toBe('mixed-radix') // 2·13·23
    expect(createRealFft(17640).backend).toBe('mixed-radix') // 2³·3²·5·7²
    expect(createRealFft(1025).backend).toBe('mixed-radix') // 5²·41: a radix-41 stage
    expect(createRealFft(4801).backend).toBe('mixed-radix') // prime: Rader over 4800
    expect(createRealFft(4099).backend).toBe('mixed-radix') // 4098 = 2·3·683: Bluestein
    expect(createRealFft(7890).backend).toBe('mixed-radix') // 2·3·5·263: Bluestein
    expect(createRealFft(598, { backend: 'js' }).backend).toBe('js')
  })

  // The sizes the presets and Riffusion use, sizes whose complex length has every radix and odd
  // length, random sizes, and primes (Bluestein from 37 up): against fft.js (float64, with
  // Bluestein over it where the size is not a power of two).
  const random = mulberry32(77)
  const randomSizes = Array.from({ length: 12 }, () => 8 + Math.floor(random() * 5000))
  it.each([
    512,
    598,
    2048,
    17280,
    17640,
    400,
    1764,
    8,
    10,
    12,
    14,
    22,
    26,
    34,
    38,
    46,
    58,
    62,
    74,
    9,
    21,
    35,
    49,
    77,
    143,
    31,
    37,
    1031,
    4801,
    // Complex lengths not a multiple of four (fft.c, stages_single): first stage four q at a
    // time, later stages four j at a time, scalar stages of stride 2 and 3 between.
    36,
    108,
    140,
    286,
    1001,
    2002,
    4374,
    // 2·3·5·7·11·13 and its odd half: every radix but 4 in one transform.
    30030,
    15015,
    ...randomSizes,
  ])('agrees with fft.js both ways for N = %i', (n) => {
    const x = randomSignal(n, 700 + n)
    const fast = createRealFft(n)
    const js = createRealFft(n, { backend: 'js' })
    const a = fast.forward(x)
    const b = js.forward(x)
    expect(relativeError(a.re, b.re, norm(x))).toBeLessThan(PFFFT_TOLERANCE)
    expect(relativeError(a.im, b.im, norm(x))).toBeLessThan(PFFFT_TOLERANCE)
    const back = fast.inverse(b.re, b.im)
    expect(relativeError(back, x, norm(x) / Math.sqrt(n))).toBeLessThan(10 * PFFFT_TOLERANCE)
  })

  it('agrees with fft.js to float32 precision', () => {
    for (const n of [32, 96, 480, 512, 1024, 2048, 4096]) {
      const x = randomSignal(n, 300 + n)
      const fast = createRealFft(n).forward(x)
      const js = createRealFft(n, { backend: 'js' }).forward(x)
      expect(relativeError(fast.re, js.re, norm(x))).toBeLessThan(PFFFT_TOLERANCE)
      expect(relativeError(fast.im, js.im, norm(x))).toBeLessThan(PFFFT_TOLERANCE)
    }
  })

  it('is idempotent to initialise', async () => {
    await expect(initFastFft()).resolves.toBe(true)
    expect(createRealFft(1024)).toBe(createRealFft(1024))
  })
})

/**
 * Sizes with a prime factor above 31 (fft-wasm.ts): generic radix-p stages up to 257 inside
 * composite lengths, or Rader stages, Rader's algorithm for primes p and 2p (zero-padded for odd
 * p whose p − 1 has no cheap plan), and Bluestein's in the module for the rest (fft.c). All bins against the DFT's definition in
 * float64. Tolerance: float32 rounds each operation by ε = 2⁻²⁴ ≈ 6e-8 and an FFT's error grows
 * like ε·log2(N)·‖x‖ (Rader and Bluestein add two transforms and a kernel spectrum rounded
 * once): 8·ε·log2(N) of ‖x‖ leaves a margin of about 4 over what these sizes show (≤ 1e-6),
 * and a wrong twiddle or bin is O(1).
 */
describe('large radices, Rader and Bluestein', () => {
  const EPSILON = 2 ** -24

  it.each([
    // Rader: odd primes (p − 1 = 36, 42, 60, 1032, 4800) and twice primes above 61 (2·67,
    // 2·4801); (p − 1)/2 even and odd (21, 33: fft.c's RADER_PAIRS), on four lanes or not.
    [37, 'rader'],
    [43, 'rader'],
    [61, 'rader'],
    [1033, 'rader'],
    // … over a p − 1 whose largest prime takes a Rader stage (1048 = 8·131, 4110 = 2·3·5·137).
    [1049, 'rader'],
    [4111, 'rader'],
    // … zero-padded to a convolution of 2H ≥ 2p − 3 (fft.c, rader_pad) where p − 1 has no fast
    // plan (4098 = 2·3·683, 1030 = 2·5·103), and as Rader's first stage (3·173, 3·1031).
    [4099, 'rader'],
    [1031, 'rader'],
    [519, 'rader-first'],
    [3 * 1031, 'rader-first'],
    [4801, 'rader'],
    [134, 'rader'],
    [9602, 'rader'],
    // Generic stages of 37 … 251 inside composite lengths, on lanes and on one transform, and
    // primes up to 61 alone as twice themselves.
    [111, 'stages'],
    [1025, 'stages'],
    // A four-lane stage of a prime from 53 by Rader's algorithm (fft.c, rader_stage): 97, 103
    // (p − 1 = 2·3·17), 233 (8·29), 251, and 53 before a 59 (twiddled, m = 59).
    [1552, 'rader-stage'],
    [824, 'rader-stage'],
    [1864, 'rader-stage'],
    [4016, 'rader-stage'],
    [8 * 53 * 59, 'rader-stage'],
    // … and on one transform as its first stage (rader_stage_first): 127, 157, 211, 251.
    [3810, 'rader-stage'],
    [2 * 5 * 157, 'rader-stage'],
    [4 * 3 * 211, 'rader-stage'],
    [2 * 5 * 251, 'rader-stage'],
    // … with m = 3 and 2 (four lanes of which m are kept): 2·3·199, 4·257.
    [2 * 3 * 199, 'rader-stage'],
    [4 * 257, 'rader-stage'],
    // … a prime above 257, which has no other stage: 8·277 (lanes), 4·271 (m = 2).
    [8 * 277, 'rader-stage'],
    [4 * 271, 'rader-stage'],
    // … and a later stage of an odd size (61·53: 53 after the real first stage of 61).
    [61 * 53, 'rader-stage'],
    [122, 'stages'],
    // Rader's first stage (fft.c, odd_real_first_rader) over M real 463- and 1381-point DFTs.
    [9 * 463, 'rader-first'],
    [3 * 1381, 'rader-first'],
    [11 * 199, 'rader-first'],
    [53 * 173, 'rader-first'], // then a Rader stage of 53
    // Bluestein in the module (fft.c): even sizes (2·3·5·263, 2·1031) and an odd one
    // whose largest prime is beside another above 31 (37·263).
    [7890, 'bluestein'],
    [2062, 'bluestein'],
    [37 * 263, 'bluestein'],
  ])('N = %i (%s) matches the DFT at every bin and inverts', (n, path) => {
    expect(raderSupports(n)).toBe(path === 'rader') // Rader goes first (fft.ts)
    const staged = path === 'stages' || path === 'rader-stage'
    if (path !== 'rader') expect(mixedRadixSupports(n)).toBe(staged)
    if (staged) {
      const plan = createMixedRadixPlan(mixedRadixModule()!, n)
      expect(plan.raderStage !== 0).toBe(path === 'rader-stage')
    }
    if (path !== 'rader' && !staged) {
      expect(raderFirstSupports(n)).toBe(path === 'rader-first')
    }
    const x = randomSignal(n, 900 + n)
    const fft = createRealFft(n)
    expect(fft.backend).toBe('mixed-radix')
    const { re, im } = fft.forward(x)
    const expected = dft(x)
    const tolerance = 8 * EPSILON * Math.log2(n)
    expect(relativeError(re, expected.re, norm(x))).toBeLessThan(tolerance)
    expect(relativeError(im, expected.im, norm(x))).toBeLessThan(tolerance)
    // The inverse from the exact spectrum, against fft.js's inverse too.
    const back = fft.inverse(expected.re, expected.im)
    expect(relativeError(back, x, norm(x) / Math.sqrt(n))).toBeLessThan(tolerance)
    const js = createRealFft(n, { backend: 'js' }).inverse(expected.re, expected.im)
    expect(relativeError(back, js, norm(x) / Math.sqrt(n))).toBeLessThan(tolerance)
  })
})

it('can be switched to the pure-JS path for whole pipelines', () => {
  setDefaultFftBackend('js')
  try {
    expect(createRealFft(2048).backend).toBe('js')
  } finally {
    setDefaultFftBackend('auto')
  }
  expect(createRealFft(2048).backend).toBe('pffft')
})

it('refuses sizes below 1', () => {
  expect(() => createRealFft(0)).toThrow(RangeError)
  expect(() => createRealFft(2.5)).toThrow(RangeError)
})
