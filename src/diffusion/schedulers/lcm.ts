import { UserError } from '../../engine/errors'
import type { SchedulerConfig } from './config'
import { alphasCumprod, linspace } from './noise-schedule'
import { axpby, clipPrediction, ddpmAddNoise, epsAndX0, type Scheduler } from './types'

/**
 * Latent Consistency Model multistep sampling (Luo et al. 2023, arXiv:2310.04378, Algorithm 3),
 * as diffusers' LCMScheduler:
 *
 *   k = ⌊N / original_inference_steps⌋
 *   distillation schedule: (1 … ⌊original_steps · strength⌋) · k − 1, reversed
 *   timesteps: that schedule at ⌊linspace(0, len, steps, endpoint=False)⌋
 *   c_skip, c_out: `lcmBoundaryScalings`
 *   x0 = (x − √(1−ᾱ_t)·ε)/√ᾱ_t (clamped when clip_sample);  denoised = c_out·x0 + c_skip·x
 *   x_prev = √ᾱ_next · denoised + √(1 − ᾱ_next) · z  (z ~ N(0, 1); the last step returns denoised)
 *
 * Strength enters the schedule itself (img2img starts lower on the distillation schedule), not by
 * cutting steps as the other schedulers do.
 */
export function createLcm(config: SchedulerConfig, steps: number, strength: number): Scheduler {
  const n = config.numTrainTimesteps
  const original = config.originalInferenceSteps
  const k = Math.floor(n / original)
  const count = Math.trunc(original * strength)
  if (steps > original || Math.floor(count / steps) < 1) {
    // diffusers refuses the same (LCMScheduler.set_timesteps: "skipping_step < 1").
    throw new UserError(
      `The LCM scheduler cannot take ${steps} steps from its ${original}-step schedule` +
        (strength < 1 ? ` at strength ${strength}` : ''),
      lcmRemedy(steps, original, count),
    )
  }
  const distilled = Array.from({ length: count }, (_, i) => (i + 1) * k - 1).reverse()
  const timesteps = linspace(0, count, steps + 1)
    .slice(0, steps)
    .map((x) => distilled[Math.floor(x)])
  const alphas = alphasCumprod(config)
  const final = config.setAlphaToOne ? 1 : alphas[0]
  const alphaAt = (t: number) => (t >= 0 ? alphas[t] : final)

  return {
    kind: 'lcm',
    timesteps,
    initNoiseSigma: 1,
    addNoise: (x0, noise) => ddpmAddNoise(alphaAt(timesteps[0]), x0, noise),
    scaleModelInput: (sample) => sample,
    step(modelOutput, index, sample, noise) {
      const t = timesteps[index]
      const next = index + 1 < timesteps.length ? timesteps[index + 1] : t
      const { cSkip, cOut } = lcmBoundaryScalings(t, config.timestepScaling)
      const { x0 } = epsAndX0(config.predictionType, alphaAt(t), sample, modelOutput)
      clipPrediction(x0, config)
      const denoised = axpby(cOut, x0, cSkip, sample)
      if (index === timesteps.length - 1) return denoised
      const aNext = alphaAt(next)
      const z = noise.fill(sample.length)
      return axpby(Math.sqrt(aNext), denoised, Math.sqrt(1 - aNext), z)
    },
  }
}

/**
 * The consistency model's boundary condition (LCMScheduler.get_scalings_for_boundary_condition_
 * discrete; Song et al. 2023, eq. 9): with t' = t · timestep_scaling and σ_data = 0.5,
 *   c_skip = σ_data² / (t'² + σ_data²),  c_out = t' / √(t'² + σ_data²)
 * so that at t = 0 the model returns its input (c_skip = 1, c_out = 0).
 */
export function lcmBoundaryScalings(t: number, timestepScaling: number) {
  const sigmaData = 0.5
  const scaled = t * timestepScaling
  const denominator = scaled ** 2 + sigmaData ** 2
  return { cSkip: sigmaData ** 2 / denominator, cOut: scaled / Math.sqrt(denominator) }
}

/** What would let LCM run: fewer steps, or the strength at which ⌊original · strength⌋ ≥ steps. */
function lcmRemedy(steps: number, original: number, count: number): string {
  const needed = Math.ceil((steps / original) * 100 - 1e-9) / 100
  const ways = [
    count >= 1 ? `use at most ${count} steps (LCM models want 2–8)` : '',
    needed <= 1 ? `raise the strength to at least ${needed}` : '',
  ].filter(Boolean)
  const text = ways.join(', or ')
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`
}
