import { beforeAll, describe, expect, it } from 'vitest'
import { initFastFft, setDefaultFftBackend } from '../../src/dsp/fft'
import { loadMixedRadix, type MixedRadixModule } from '../../src/dsp/fft-wasm'
import { griffinLim, griffinLimFraming } from '../../src/dsp/griffin-lim'
import { griffinLimWasm } from '../../src/dsp/griffin-lim-wasm'
import { paddedWindow } from '../../src/dsp/window'
import { mulberry32 } from '../helpers/run-context'
import { snrDb } from '../helpers/reference-dsp'

// Griffin-Lim's WASM loop in both builds of the module (build.sh: plain SIMD, and relaxed SIMD's
// fused multiply-add in the butterflies), in both of its layouts (hop n/2: no overlap-added sum,
// gl_iteration_lanes; other hops: the overlap-add), against the JavaScript loop over fft.js
// (float64) from the same start: the same algorithm, so the waveforms agree to float32 rounding.
// griffin-lim.test.ts runs the default build through griffinLim; this one reaches the plain build
// too, which browsers without relaxed SIMD run.

beforeAll(async () => {
  await initFastFft()
})

describe.each([
  ['plain SIMD', false],
  ['relaxed SIMD', true],
])('Griffin-Lim in the module built with %s', (_, relaxed) => {
  let mod: MixedRadixModule
  beforeAll(async () => {
    mod = await loadMixedRadix({ relaxed })
    if (!relaxed) expect(mod.relaxed).toBe(false)
  })

  it.each([
    [598, 299, 13], // hop n/2, 13 frames (the last group of four has one)
    [598, 299, 16],
    [512, 256, 9],
    [512, 128, 10], // hop n/4: the overlap-add layout
    [286, 143, 6],
  ])('matches the JavaScript loop: n_fft %i, hop %i, %i frames', (n, hop, frames) => {
    const bins = n / 2 + 1
    const random = mulberry32(n + frames)
    const magnitude = Float32Array.from({ length: bins * frames }, () => random())
    const re = Float32Array.from(magnitude, () => random() - 0.5)
    const im = Float32Array.from(magnitude, () => random() - 0.5)
    const iterations = 8
    const momentum = 0.99

    setDefaultFftBackend('js')
    let js: ReturnType<typeof griffinLim>
    try {
      js = griffinLim(magnitude, {
        fftSize: n,
        hopSize: hop,
        window: 'hann',
        iterations,
        momentum,
        init: { re, im },
      })
    } finally {
      setDefaultFftBackend('auto')
    }

    // The layout griffinLim gives the WASM loop: centred frames, reflected ends.
    const window = paddedWindow('hann', n)
    const { lo, hi, offset, length, reflect } = griffinLimFraming(window, hop, frames)
    let energy = 0
    const convergence = new Float32Array(iterations)
    const waveform = griffinLimWasm(mod, {
      n,
      hop,
      bins,
      frames,
      window,
      lo,
      hi,
      offset,
      length,
      reflect,
      alpha: momentum / (1 + momentum),
      iterations,
      magnitude,
      start: (from, to, rows, columns) => {
        rows.set(re.subarray(from * frames, to * frames))
        columns.set(im.subarray(from * frames, to * frames))
      },
      onEnergy: (value) => (energy = value),
      onError: (i, error) => (convergence[i - 1] = Math.sqrt(error / energy)),
    })
    expect(waveform.length).toBe(js.waveform.length)
    expect(snrDb(js.waveform, waveform)).toBeGreaterThan(60)
    convergence.forEach((c, i) => expect(c).toBeCloseTo(js.convergence[i], 4))
  })
})
