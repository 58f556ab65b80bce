import { describe, expect, it } from 'vitest'
import type { Gaussian } from '../../src/diffusion/random'
import { createScheduler, schedulerConfig } from '../../src/diffusion/schedulers'
import { lcmBoundaryScalings } from '../../src/diffusion/schedulers/lcm'
import { alphasCumprod, trainSigmas } from '../../src/diffusion/schedulers/noise-schedule'
import { rollLatent } from '../../src/diffusion/latent'
import { UserError } from '../../src/engine/errors'
import { reference } from './reference'

/**
 * Reference numbers come from tests/diffusion/fixtures/make_scheduler_reference.py: numpy code
 * written in the structure of diffusers' scheduler sources (scheduling_euler_discrete.py,
 * scheduling_euler_ancestral_discrete.py, scheduling_ddim.py, scheduling_pndm.py,
 * scheduling_dpmsolver_multistep.py, scheduling_lcm.py), with numpy's own rounding and arange.
 * Each case also runs a whole made-up denoising trajectory through `step`, so the update
 * formulas and the multistep bookkeeping are checked, not just the timetables.
 */

/** The same made-up denoiser as the Python: 0.3·x + 0.1·cos(0.01·t + k). */
function model(x: Float32Array, t: number): Float32Array {
  return x.map((v, k) => 0.3 * v + 0.1 * Math.cos(0.01 * t + k))
}

/** The same made-up "noise" as the Python: sin(1.3·j + 0.5). */
function fakeNoise(): Gaussian {
  let j = 0
  const next = () => Math.sin(1.3 * j++ + 0.5)
  return { next, fill: (n) => Float32Array.from({ length: n }, next) }
}

const base = () => Float32Array.from({ length: 8 }, (_, i) => -1 + (2 * i) / 7)

function close(actual: readonly number[], expected: readonly number[], tolerance: number) {
  expect(actual.length).toBe(expected.length)
  actual.forEach((a, i) => {
    const e = expected[i]
    expect(Math.abs(a - e), `index ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(
      tolerance * Math.max(1, Math.abs(e)),
    )
  })
}

describe('schedulers match diffusers', () => {
  for (const c of reference.cases) {
    it(`${c.name}: timesteps, sigmas and a whole trajectory`, () => {
      const s = createScheduler(c.kind, schedulerConfig(c.kind, c.config), c.steps, c.strength)
      // Whole numbers, or float32 values as diffusers holds Euler's: exactly, but for the few
      // float32 steps that numpy's float32 log leaves open for Karras timesteps.
      close([...s.timesteps], c.timesteps, c.timestepTolerance ?? 0)
      expect(s.timesteps.every((t) => Math.fround(t) === t)).toBe(true)
      // float32 sigmas within one float32 step: a float32 running product in alphas_cumprod
      // (diffusers' torch.cumprod keeps a double one) is already 4e-7 off at σ_max.
      if (c.sigmas) close([...(s.sigmas ?? [])], c.sigmas, 1.2e-7)
      expect(s.initNoiseSigma).toBeCloseTo(c.initNoiseSigma, 5)

      const noise = fakeNoise()
      let x =
        c.strength === 1
          ? base().map((v) => v * s.initNoiseSigma)
          : s.addNoise(base(), noise.fill(8))
      s.timesteps.forEach((t, i) => {
        x = s.step(model(s.scaleModelInput(x, i), t), i, x, noise)
      })
      close([...x], c.final, 2e-4)
    })
  }
})

describe('noise schedule', () => {
  const sd = schedulerConfig('euler', {
    beta_start: 0.00085,
    beta_end: 0.012,
    beta_schedule: 'scaled_linear',
    num_train_timesteps: 1000,
  })

  it("gives Stable Diffusion's largest sigma as diffusers' torch arithmetic does: 14.614645", () => {
    const sigmas = trainSigmas(alphasCumprod(sd))
    // torch 1.13 on the CPU gives 14.614645; the last 3e-7 (relative) is torch.linspace's float32
    // arithmetic. A float32 running product in alphas_cumprod would give 14.614655.
    expect(Math.abs(sigmas[999] / 14.614645 - 1)).toBeLessThan(4e-7)
    expect(alphasCumprod(sd)[0]).toBeCloseTo(1 - 0.00085, 7)
  })

  it('takes each class default from diffusers where the config is silent', () => {
    // LCMScheduler alone defaults to SD's betas; DDIMScheduler alone clips x0 by default.
    expect(schedulerConfig('lcm', {})).toMatchObject({
      betaStart: 0.00085,
      betaEnd: 0.012,
      betaSchedule: 'scaled_linear',
      setAlphaToOne: true,
      clipSample: false,
    })
    expect(schedulerConfig('euler', {})).toMatchObject({
      betaStart: 0.0001,
      betaSchedule: 'linear',
    })
    expect(schedulerConfig('ddim', {})).toMatchObject({ clipSample: true, clipSampleRange: 1 })
  })

  it("keeps LCM's boundary condition: the input itself at t = 0, half of it where 10t = σ_data", () => {
    expect(lcmBoundaryScalings(0, 10)).toEqual({ cSkip: 1, cOut: 0 })
    const half = lcmBoundaryScalings(0.05, 10)
    expect(half.cSkip).toBeCloseTo(0.5, 12)
    expect(half.cOut).toBeCloseTo(Math.SQRT1_2, 12)
    const late = lcmBoundaryScalings(999, 10)
    expect(late.cSkip).toBeCloseTo(0.25 / 9990 ** 2, 15)
    expect(late.cOut).toBeCloseTo(1, 8)
  })

  it('gives LCM its published 4-step timetable 999, 759, 499, 259', () => {
    const lcm = createScheduler('lcm', schedulerConfig('lcm', { original_inference_steps: 50 }), 4)
    expect(lcm.timesteps).toEqual([999, 759, 499, 259])
  })

  it('runs every LCM step in img2img below strength 1/steps, lower on its schedule, as diffusers', () => {
    const lcm = schedulerConfig('lcm', { original_inference_steps: 50 })
    expect(createScheduler('lcm', lcm, 4, 0.2).timesteps).toEqual([199, 159, 99, 59])
    expect(createScheduler('lcm', lcm, 2, 0.4).timesteps).toEqual([399, 199])
  })

  it('refuses LCM img2img whose strength leaves fewer distilled steps than asked, saying what works', () => {
    const lcm = schedulerConfig('lcm', { original_inference_steps: 50 })
    const refusal = (steps: number, strength: number) => {
      try {
        createScheduler('lcm', lcm, steps, strength)
      } catch (error) {
        return error as UserError
      }
      throw new Error('no refusal')
    }
    // ⌊50 · 0.05⌋ = 2 distilled steps: 4 cannot be picked from them (diffusers raises too).
    expect(refusal(4, 0.05)).toBeInstanceOf(UserError)
    expect(refusal(4, 0.05).message).toMatch(/4 steps .* at strength 0\.05/)
    expect(refusal(4, 0.05).hint).toBe(
      'Use at most 2 steps (LCM models want 2–8), or raise the strength to at least 0.08.',
    )
    expect(refusal(4, 0.01).hint).toBe('Raise the strength to at least 0.08.')
    expect(refusal(60, 1).hint).toBe('Use at most 50 steps (LCM models want 2–8).')
  })

  it('starts SD-Turbo one-step sampling at t = 999 with sigma 14.6146', () => {
    const turbo = createScheduler('euler', { ...sd, timestepSpacing: 'trailing' }, 1)
    expect(turbo.timesteps).toEqual([999])
    expect(turbo.initNoiseSigma).toBeCloseTo(14.6146, 3)
  })

  it('takes no steps at strength 0 and all of them at strength 1', () => {
    for (const kind of ['euler', 'ddim', 'pndm', 'dpm++2m', 'lcm'] as const) {
      expect(createScheduler(kind, schedulerConfig(kind), 10, 0).timesteps).toHaveLength(0)
    }
    expect(createScheduler('euler', sd, 10, 1).timesteps).toHaveLength(10)
  })

  it('refuses a prediction type it does not implement, by name', () => {
    expect(() => schedulerConfig('euler', { prediction_type: 'sample' })).toThrow(/sample/)
  })
})

describe('latent shift (the essay: roll the latent after every step, back at the end)', () => {
  // A denoiser that treats every place alike (it reads each value alone) cannot tell a rolled
  // latent from the original, so rolling after every step and back at the end must give the
  // same result as not rolling at all, for every scheduler without fresh noise per step. A
  // multistep scheduler whose memory (PNDM's earlier outputs, DPM-Solver's x0) stayed where it
  // was would mix values of different places and break this.
  const dims = [1, 4, 6, 10]
  const size = dims.reduce((a, b) => a * b, 1)
  const pointwise = (x: Float32Array, t: number) =>
    x.map((v) => 0.3 * v + 0.1 * Math.cos(0.01 * t + v))
  const start = () =>
    Float32Array.from({ length: size }, (_, k) => Math.sin(0.7 * k) + 0.2 * Math.cos(1.9 * k))

  function denoise(
    kind: 'euler' | 'ddim' | 'pndm' | 'dpm++2m',
    dx: number,
    dy: number,
    withMemory = true,
  ) {
    const scheduler = createScheduler(kind, schedulerConfig(kind), 12, 1)
    let x: Float32Array = start()
    const noise = fakeNoise()
    scheduler.timesteps.forEach((t, i) => {
      x = scheduler.step(pointwise(scheduler.scaleModelInput(x, i), t), i, x, noise)
      const roll = (v: Float32Array) => rollLatent(v, dims, dx, dy)
      x = roll(x)
      if (withMemory) scheduler.move?.(roll)
    })
    const n = scheduler.timesteps.length
    return rollLatent(x, dims, -dx * n, -dy * n)
  }

  for (const kind of ['euler', 'ddim', 'pndm', 'dpm++2m'] as const) {
    it(`${kind}: shifting by (3, 1) per step gives the unshifted result`, () => {
      const plain = denoise(kind, 0, 0)
      const shifted = denoise(kind, 3, 1)
      close(Array.from(shifted), Array.from(plain), 1e-5)
    })
  }

  it('would go wrong for the multistep schedulers if their memory stayed put', () => {
    for (const kind of ['pndm', 'dpm++2m'] as const) {
      const plain = denoise(kind, 0, 0)
      const stale = denoise(kind, 3, 1, false)
      const worst = Math.max(...Array.from(stale, (v, k) => Math.abs(v - plain[k])))
      expect(worst, kind).toBeGreaterThan(1e-3)
    }
  })
})
