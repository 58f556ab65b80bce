import type { SchedulerConfig } from './config'
import { alphasCumprod, arange, linspace, roundHalfEven, strengthStart } from './noise-schedule'
import { axpby, ddpmAddNoise, type Scheduler } from './types'

/**
 * PNDM's pseudo linear multistep method (PLMS; Liu et al. 2022, arXiv:2202.09778), with
 * skip_prk_steps as every Stable Diffusion config sets it — diffusers' PNDMScheduler.step_plms:
 *
 * Timesteps: t = spacing(steps) ascending (leading: arange(0, steps)·⌊N/steps⌋ + steps_offset),
 * then [t[:-1], t[-2], t[-1]] reversed: the second timestep is evaluated twice, once to start the
 * multistep history and once with the averaged ε (a Heun-like first step).
 *
 * ε' from the history e (newest last): e₁ → e₁ (first call), (ε + e₁)/2 (second, from the stored
 * sample), (3e₁ − e₂)/2, (23e₁ − 16e₂ + 5e₃)/12, then (55e₁ − 59e₂ + 37e₃ − 9e₄)/24.
 *
 * Update (eq. 9 of the paper, _get_prev_sample):
 *   x_prev = √(ᾱ_prev/ᾱ_t) · x − (ᾱ_prev − ᾱ_t) · ε' / (ᾱ_t √(1−ᾱ_prev) + √(ᾱ_t (1−ᾱ_t) ᾱ_prev))
 */
export function createPndm(config: SchedulerConfig, steps: number, strength: number): Scheduler {
  const n = config.numTrainTimesteps
  const alphas = alphasCumprod(config)
  const final = config.setAlphaToOne ? 1 : alphas[0]
  const alphaAt = (t: number) => (t >= 0 ? alphas[Math.min(t, n - 1)] : final)
  const ratio = Math.floor(n / steps)

  let ascending: number[]
  if (config.timestepSpacing === 'linspace') {
    ascending = linspace(0, n - 1, steps).map(roundHalfEven)
  } else if (config.timestepSpacing === 'leading') {
    ascending = arange(0, steps, 1).map((i) => roundHalfEven(i * ratio) + config.stepsOffset)
  } else {
    ascending = arange(n, 0, -n / steps)
      .map(roundHalfEven)
      .reverse()
      .map((t) => t - 1)
  }
  const plms = [...ascending.slice(0, -1), ...ascending.slice(-2, -1), ...ascending.slice(-1)]
  plms.reverse()
  const own = plms.slice(strengthStart(steps, strength))

  const ets: Float32Array[] = []
  let counter = 0
  let stored: Float32Array | undefined

  const prevSample = (sample: Float32Array, t: number, prev: number, eps: Float32Array) => {
    const aT = alphaAt(t)
    const aPrev = alphaAt(prev)
    const model =
      config.predictionType === 'v_prediction'
        ? axpby(Math.sqrt(aT), eps, Math.sqrt(1 - aT), sample)
        : eps
    const denom = aT * Math.sqrt(1 - aPrev) + Math.sqrt(aT * (1 - aT) * aPrev)
    return axpby(Math.sqrt(aPrev / aT), sample, -(aPrev - aT) / denom, model)
  }

  return {
    kind: 'pndm',
    timesteps: own,
    initNoiseSigma: 1,
    addNoise: (x0, noise) => ddpmAddNoise(alphaAt(own[0]), x0, noise),
    scaleModelInput: (sample) => sample,
    step(modelOutput, index, sample) {
      let t = own[index]
      let prev = t - ratio
      if (counter !== 1) {
        if (ets.length > 3) ets.shift()
        ets.push(modelOutput)
      } else {
        // The repeated timestep: step again from the stored sample, from t + ratio to t.
        prev = t
        t = t + ratio
      }
      let eps: Float32Array
      let from = sample
      const e = (k: number) => ets[ets.length - k]
      if (ets.length === 1 && counter === 0) {
        eps = modelOutput
        stored = sample
      } else if (ets.length === 1 && counter === 1) {
        eps = axpby(0.5, modelOutput, 0.5, e(1))
        from = stored ?? sample
        stored = undefined
      } else if (ets.length === 2) {
        eps = axpby(1.5, e(1), -0.5, e(2))
      } else if (ets.length === 3) {
        eps = new Float32Array(modelOutput.length)
        for (let k = 0; k < eps.length; k++) {
          eps[k] = (23 * e(1)[k] - 16 * e(2)[k] + 5 * e(3)[k]) / 12
        }
      } else {
        eps = new Float32Array(modelOutput.length)
        for (let k = 0; k < eps.length; k++) {
          eps[k] = (55 * e(1)[k] - 59 * e(2)[k] + 37 * e(3)[k] - 9 * e(4)[k]) / 24
        }
      }
      counter++
      return prevSample(from, t, prev, eps)
    },
    move(transform) {
      for (let k = 0; k < ets.length; k++) ets[k] = transform(ets[k])
      if (stored) stored = transform(stored)
    },
  }
}
