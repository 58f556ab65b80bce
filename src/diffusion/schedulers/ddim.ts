import type { SchedulerConfig } from './config'
import { alphasCumprod, spacedTimesteps, strengthStart } from './noise-schedule'
import { axpby, clipPrediction, ddpmAddNoise, epsAndX0, type Scheduler } from './types'

/**
 * DDIM with η = 0 (Song et al. 2020, eq. 12), as diffusers' DDIMScheduler:
 *
 *   t_prev = t − ⌊N/steps⌋;  ᾱ_prev = ᾱ[t_prev], or (set_alpha_to_one ? 1 : ᾱ_0) below 0
 *   x0 = (x − √(1−ᾱ_t)·ε)/√ᾱ_t   (clamped to ±clip_sample_range when clip_sample)
 *   x_prev = √ᾱ_prev · x0 + √(1 − ᾱ_prev) · ε
 */
export function createDdim(config: SchedulerConfig, steps: number, strength: number): Scheduler {
  const alphas = alphasCumprod(config)
  const timesteps = spacedTimesteps(config, steps, true)
  const ratio = Math.floor(config.numTrainTimesteps / steps)
  const final = config.setAlphaToOne ? 1 : alphas[0]
  const alphaAt = (t: number) => (t >= 0 ? alphas[Math.min(t, alphas.length - 1)] : final)
  const begin = strengthStart(steps, strength)
  const own = timesteps.slice(begin)
  return {
    kind: 'ddim',
    timesteps: own,
    initNoiseSigma: 1,
    addNoise: (x0, noise) => ddpmAddNoise(alphaAt(own[0]), x0, noise),
    scaleModelInput: (sample) => sample,
    step(modelOutput, index, sample) {
      const t = own[index]
      const alphaPrev = alphaAt(t - ratio)
      const { eps, x0 } = epsAndX0(config.predictionType, alphaAt(t), sample, modelOutput)
      // ε stays the model's: diffusers re-derives it from the clipped x0 only on request.
      clipPrediction(x0, config)
      return axpby(Math.sqrt(alphaPrev), x0, Math.sqrt(1 - alphaPrev), eps)
    },
  }
}
