import type { Gaussian } from '../random'
import type { SchedulerKind } from './config'

/**
 * One denoising run's schedule, already cut for img2img strength. Stateful (multistep methods
 * remember earlier model outputs): create one per run.
 *
 * The loop, as diffusers' pipelines run it:
 *   x = txt2img ? noise · initNoiseSigma : addNoise(x0, noise)
 *   for i in timesteps: eps = unet(scaleModelInput(x, i), timesteps[i]); x = step(eps, i, x)
 */
export interface Scheduler {
  readonly kind: SchedulerKind
  /** The timestep given to the UNet at each step, noisiest first (fractional for some). */
  readonly timesteps: readonly number[]
  /** σ per step plus the final one, for sigma-parametrised schedulers (Euler, DPM-Solver). */
  readonly sigmas?: readonly number[]
  /** Std of the starting noise for txt2img (diffusers' init_noise_sigma). */
  readonly initNoiseSigma: number
  /** The clean latent noised to the level of the first step (img2img). */
  addNoise(original: Float32Array, noise: Float32Array): Float32Array
  /** The UNet's input for step i (Euler divides by √(σ² + 1)). */
  scaleModelInput(sample: Float32Array, index: number): Float32Array
  /** The latent after step i, from the model's output at that step. */
  step(
    modelOutput: Float32Array,
    index: number,
    sample: Float32Array,
    noise: Gaussian,
  ): Float32Array
  /**
   * The latent was moved (rolled) between steps: move what the scheduler remembers of earlier
   * steps (PNDM's model outputs and sample, DPM-Solver's x0) the same way, so a multistep
   * update combines values of the same place. Absent where nothing spatial is remembered.
   */
  move?(transform: (tensor: Float32Array) => Float32Array): void
}

/** out[k] = a·x[k] + b·y[k] */
export function axpby(a: number, x: Float32Array, b: number, y: Float32Array): Float32Array {
  const out = new Float32Array(x.length)
  for (let k = 0; k < x.length; k++) out[k] = a * x[k] + b * y[k]
  return out
}

/**
 * DDPM-form noising used by DDIM, PNDM, LCM (scheduling_ddpm.py add_noise):
 * x_t = √ᾱ_t · x0 + √(1 − ᾱ_t) · ε
 */
export function ddpmAddNoise(alphaBar: number, x0: Float32Array, noise: Float32Array) {
  return axpby(Math.sqrt(alphaBar), x0, Math.sqrt(1 - alphaBar), noise)
}

/**
 * ε and x0 from the model output of an ᾱ-parametrised scheduler:
 *   epsilon:       x0 = (x − √(1−ᾱ)·ε)/√ᾱ
 *   v_prediction:  x0 = √ᾱ·x − √(1−ᾱ)·v,  ε = √ᾱ·v + √(1−ᾱ)·x
 */
export function epsAndX0(
  prediction: 'epsilon' | 'v_prediction',
  alphaBar: number,
  sample: Float32Array,
  modelOutput: Float32Array,
): { eps: Float32Array; x0: Float32Array } {
  const a = Math.sqrt(alphaBar)
  const b = Math.sqrt(1 - alphaBar)
  if (prediction === 'epsilon') {
    return { eps: modelOutput, x0: axpby(1 / a, sample, -b / a, modelOutput) }
  }
  return { eps: axpby(a, modelOutput, b, sample), x0: axpby(a, sample, -b, modelOutput) }
}

/** clip_sample: x0 clamped to ±clip_sample_range (DDIMScheduler/LCMScheduler.step), in place. */
export function clipPrediction(
  x0: Float32Array,
  config: { clipSample: boolean; clipSampleRange: number },
) {
  if (!config.clipSample) return x0
  const r = config.clipSampleRange
  for (let k = 0; k < x0.length; k++) x0[k] = Math.min(r, Math.max(-r, x0[k]))
  return x0
}
