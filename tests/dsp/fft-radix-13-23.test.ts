import { beforeAll, describe, expect, it } from 'vitest'
import { createRealFft, initFastFft } from '../../src/dsp/fft'
import { createMixedRadixPlan, loadMixedRadix, type MixedRadixModule } from '../../src/dsp/fft-wasm'
import { mulberry32 } from '../helpers/run-context'
import { dft } from '../helpers/reference-dsp'

// The radix-13 and radix-23 butterflies of the mixed-radix WASM FFT (src/dsp/wasm/stockham.inc.c,
// radix_blocked_body) in every instance the plans reach, bin by bin against the DFT's definition
// in float64: the four-lane plans (h = N/2 a multiple of four: 104, 184 alone; 2392 = 8·13·23 and
// 5336 = 8·23·29 with twiddles), single transforms (598 = 2·13·23 and 286 = 2·11·13 with the
// first stage four q at a time, 1334 = 2·29·23 with 23 last, 4002 = 2·29·23·3 and 1326 =
// 2·17·13·3 with 13 and 23 in the middle, 26, 46 and 52 on scalars), odd sizes after their real
// first stage (169 = 13², 529 = 23², 299 = 13·23, 897 = 3·13·23), and the primes alone (13, 23).
const SIZES = [
  13, 23, 26, 46, 52, 104, 169, 184, 286, 299, 338, 529, 598, 897, 1058, 1326, 1334, 2392, 4002,
  5336,
]

beforeAll(async () => {
  await initFastFft()
})

describe('the radix-13 and radix-23 butterflies', () => {
  it.each(SIZES)('give every bin of the DFT for N = %i', (n) => {
    const fft = createRealFft(n)
    expect(fft.backend).toBe('mixed-radix')
    const random = mulberry32(1300 + n)
    const x = Float64Array.from({ length: n }, () => 2 * random() - 1)
    const exact = dft(Float64Array.from(Float32Array.from(x))) // the float32 input, exactly
    const got = fft.forward(x)
    // Tolerance: the stages round each bin a few times (log N stages, products summed over the
    // radix) at float32's ε = 6e-8, relative to partial sums of size ~‖x‖, so errors are a few
    // ε·‖x‖: measured 1.3e-7 … 4.2e-7 ·‖x‖ over these sizes. 2e-6·‖x‖ leaves a 5× margin and is
    // far below what a wrong constant, twiddle, sign or index gives (an error of order ‖x‖).
    const norm = Math.sqrt(x.reduce((s, v) => s + v * v, 0))
    let worst = 0
    for (let k = 0; k < exact.re.length; k++) {
      worst = Math.max(worst, Math.abs(got.re[k] - exact.re[k]), Math.abs(got.im[k] - exact.im[k]))
    }
    expect(worst / norm).toBeLessThan(2e-6)
    // And back: irfft(rfft(x)) = x (the inverse runs the same stages, from the exact spectrum).
    const back = fft.inverse(exact.re, exact.im)
    let backWorst = 0
    for (let t = 0; t < n; t++) backWorst = Math.max(backWorst, Math.abs(back[t] - x[t]))
    // Samples in [−1, 1]: measured ≤ 3.5e-7 off, the same few ε; 2e-6 keeps the same margin.
    expect(backWorst).toBeLessThan(2e-6)
  })
})

// Both builds of the module (build.sh): plain SIMD, and relaxed SIMD's fused multiply-add in these
// butterflies where the engine takes it (Node 20 once V8's flag is set, which loadMixedRadix does).
describe.each([
  ['plain SIMD', false],
  ['relaxed SIMD where available', true],
])('the module built with %s', (_, relaxed) => {
  let mod: MixedRadixModule
  beforeAll(async () => {
    mod = await loadMixedRadix({ relaxed })
    if (!relaxed) expect(mod.relaxed).toBe(false)
  })

  it.each([13, 46, 104, 286, 598, 1334, 2392])('gives every bin of the DFT for N = %i', (n) => {
    const plan = createMixedRadixPlan(mod, n)
    const random = mulberry32(2600 + n)
    const x = Float32Array.from({ length: n }, () => 2 * random() - 1)
    const input = mod.alloc(n)
    const output = mod.alloc(2 * plan.bins)
    try {
      mod.heap().set(x, input)
      mod.exports.fx_rfft(plan.pointer, input * 4, output * 4)
      const spectrum = mod.heap().slice(output, output + 2 * plan.bins)
      const exact = dft(Float64Array.from(x))
      const norm = Math.sqrt(x.reduce((s, v) => s + v * v, 0))
      let worst = 0
      for (let k = 0; k < plan.bins; k++) {
        worst = Math.max(
          worst,
          Math.abs(spectrum[2 * k] - exact.re[k]),
          Math.abs(spectrum[2 * k + 1] - exact.im[k]),
        )
      }
      // As above: a few float32 ε of ‖x‖ (a fused multiply-add rounds once where two ops round
      // twice, so it is no less exact).
      expect(worst / norm).toBeLessThan(2e-6)
    } finally {
      mod.release(input)
      mod.release(output)
    }
  })
})
