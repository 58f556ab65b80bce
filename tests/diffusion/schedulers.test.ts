import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Gaussian } from '../../src/diffusion/random'
import {
  createScheduler,
  schedulerConfig,
  type SchedulerKind,
} from '../../src/diffusion/schedulers'
import { alphasCumprod, trainSigmas } from '../../src/diffusion/schedulers/noise-schedule'
import { UserError } from '../../src/engine/errors'

/**
 * Reference numbers come from tests/diffusion/fixtures/make_scheduler_reference.py: numpy code
 * written in the structure of diffusers' scheduler sources (scheduling_euler_discrete.py,
 * scheduling_euler_ancestral_discrete.py, scheduling_ddim.py, scheduling_pndm.py,
 * scheduling_dpmsolver_multistep.py, scheduling_lcm.py), with numpy's own rounding and arange.
 * Each case also runs a whole made-up denoising trajectory through `step`, so the update
 * formulas and the multistep bookkeeping are checked, not just the timetables.
 */

interface Case {
  name: string
  kind: SchedulerKind
  config: Record<string, unknown>
  steps: number
  strength: number
  timesteps: number[]
  sigmas?: number[]
  initNoiseSigma: number
  final: number[]
}

const reference = JSON.parse(
  readFileSync(new URL('./fixtures/schedulers.json', import.meta.url), 'utf8'),
) as { cases: Case[] }

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
      close([...s.timesteps], c.timesteps, 1e-6)
      if (c.sigmas) close([...(s.sigmas ?? [])], c.sigmas, 1e-6)
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

  it('gives Stable Diffusion its well-known largest sigma, 14.6146', () => {
    const sigmas = trainSigmas(alphasCumprod(sd))
    expect(sigmas[999]).toBeCloseTo(14.6146, 3)
    expect(alphasCumprod(sd)[0]).toBeCloseTo(1 - 0.00085, 7)
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
