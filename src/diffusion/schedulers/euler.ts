import type { SchedulerConfig } from './config'
import {
  alphasCumprod,
  interpolate,
  karrasSigmas,
  logSigmas,
  sigmaToTimestep,
  spacedTimesteps,
  strengthStart,
  trainSigmas,
} from './noise-schedule'
import { axpby, type Scheduler } from './types'

/**
 * Euler (Karras et al. 2022, Algorithm 2 without churn) and Euler ancestral, as diffusers'
 * EulerDiscreteScheduler and EulerAncestralDiscreteScheduler:
 *
 *   σ_i = interp(t_i, training σ), then a final 0; the latent lives in σ-space (x = x_ddpm/√ᾱ)
 *   init_noise_sigma = max σ for 'linspace'/'trailing' spacing, else √(max σ² + 1)
 *   model input = x / √(σ² + 1)
 *   x0 = x − σ·ε   (v_prediction: x0 = −σ/√(σ²+1)·v + x/(σ²+1))
 *   Euler:     x ← x + (x − x0)/σ · (σ_next − σ)
 *   ancestral: σ_up = √(σ_next²(σ² − σ_next²)/σ²), σ_down = √(σ_next² − σ_up²),
 *              x ← x + (x − x0)/σ · (σ_down − σ) + σ_up · z,  z ~ N(0, 1)
 *   img2img:   x = x0 + σ_start · ε
 */
export function createEuler(
  config: SchedulerConfig,
  steps: number,
  strength: number,
  ancestral: boolean,
): Scheduler {
  const train = trainSigmas(alphasCumprod(config))
  // diffusers keeps Euler's timesteps in float32 (linspace(…, dtype=float32), then
  // astype(float32) for Karras): 964.55176 for 30 steps, not 964.5517241…, and σ follows from it.
  let timesteps = spacedTimesteps(config, steps, false).map(Math.fround)
  let sigmas = timesteps.map((t) => interpolate(train, t))
  if (config.useKarrasSigmas && !ancestral) {
    sigmas = karrasSigmas(sigmas[sigmas.length - 1], sigmas[0], steps)
    const logs = logSigmas(train)
    timesteps = sigmas.map((s) => Math.fround(sigmaToTimestep(s, logs)))
  }
  sigmas = [...sigmas, 0].map(Math.fround)
  const maxSigma = Math.max(...sigmas)
  const begin = strengthStart(steps, strength)
  const v = config.predictionType === 'v_prediction'

  return {
    kind: ancestral ? 'euler-ancestral' : 'euler',
    timesteps: timesteps.slice(begin),
    sigmas: sigmas.slice(begin),
    initNoiseSigma:
      config.timestepSpacing === 'leading' ? Math.sqrt(maxSigma * maxSigma + 1) : maxSigma,
    addNoise: (x0, noise) => axpby(1, x0, sigmas[begin], noise),
    scaleModelInput(sample, index) {
      const sigma = sigmas[begin + index]
      return axpby(1 / Math.sqrt(sigma * sigma + 1), sample, 0, sample)
    },
    step(modelOutput, index, sample, noise) {
      const sigma = sigmas[begin + index]
      const next = sigmas[begin + index + 1]
      const x0 = v
        ? axpby(-sigma / Math.sqrt(sigma * sigma + 1), modelOutput, 1 / (sigma * sigma + 1), sample)
        : axpby(1, sample, -sigma, modelOutput)
      let target = next
      let up = 0
      if (ancestral) {
        up = Math.sqrt((next * next * (sigma * sigma - next * next)) / (sigma * sigma))
        target = Math.sqrt(next * next - up * up)
      }
      // derivative d = (x − x0)/σ; x + d·dt = x·(1 + dt/σ) − x0·dt/σ
      const dt = target - sigma
      const out = axpby(1 + dt / sigma, sample, -dt / sigma, x0)
      if (up > 0) for (let k = 0; k < out.length; k++) out[k] += up * noise.next()
      return out
    },
  }
}
