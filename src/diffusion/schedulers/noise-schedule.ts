import type { SchedulerConfig } from './config'

/**
 * The training noise schedule shared by every scheduler, as diffusers builds it (e.g.
 * `DDIMScheduler.__init__` in scheduling_ddim.py):
 *
 *   linear:             β = linspace(β_start, β_end, N)
 *   scaled_linear:      β = linspace(√β_start, √β_end, N)²          (Stable Diffusion)
 *   squaredcos_cap_v2:  β_i = min(1 − ᾱ((i+1)/N) / ᾱ(i/N), 0.999), ᾱ(t) = cos²((t + 0.008)/1.008 · π/2)
 *   ᾱ_t = Π_{s≤t} (1 − β_s)                                          (alphas_cumprod)
 *
 * diffusers holds β and ᾱ in float32 (torch); we round to float32 at the same points so the
 * sigmas match its numbers to float32 precision, not just to the formula. torch.linspace's
 * float32 arithmetic can differ from the rounded float64 line in a β's last bit (it depends on
 * the CPU's vector width); that moves σ by < 4e-7 (relative), measured against torch 1.13.
 */

const f = Math.fround

export function betas(config: SchedulerConfig): Float64Array {
  const n = config.numTrainTimesteps
  if (config.trainedBetas) return Float64Array.from(config.trainedBetas, f)
  const out = new Float64Array(n)
  switch (config.betaSchedule) {
    case 'linear':
      return Float64Array.from(linspace(config.betaStart, config.betaEnd, n), f)
    case 'scaled_linear': {
      const roots = linspace(Math.sqrt(config.betaStart), Math.sqrt(config.betaEnd), n).map(f)
      return Float64Array.from(roots, (root) => f(root * root))
    }
    case 'squaredcos_cap_v2': {
      const alphaBar = (t: number) => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2
      for (let i = 0; i < n; i++) {
        out[i] = f(Math.min(1 - alphaBar((i + 1) / n) / alphaBar(i / n), 0.999))
      }
      return out
    }
  }
}

/**
 * torch.cumprod of the float32 (1 − β): on the CPU, where diffusers builds its schedulers, torch
 * keeps the running product in double and rounds each output to float32 (ATen's
 * cumprod_cpu_kernel, acc_type<float> = double). A float32 running product drifts by ~1e-6 over
 * 1000 steps: SD's largest σ would be 14.614655, not 14.614649.
 */
export function alphasCumprod(config: SchedulerConfig): Float64Array {
  const beta = betas(config)
  const out = new Float64Array(beta.length)
  let product = 1
  for (let i = 0; i < beta.length; i++) {
    product *= f(1 - beta[i])
    out[i] = f(product)
  }
  return out
}

/**
 * σ_t = √((1 − ᾱ_t)/ᾱ_t): the noise level of timestep t in the "sigma" parametrisation, in
 * float32 operations as diffusers' `((1 - alphas_cumprod) / alphas_cumprod) ** 0.5` (rounding
 * each double result to float32 gives exactly the float32 result for −, / and √).
 */
export function trainSigmas(alphas: Float64Array): Float64Array {
  return alphas.map((a) => f(Math.sqrt(f(f(1 - a) / a))))
}

/** log σ as numpy takes it of diffusers' float32 sigma table (for `sigmaToTimestep`). */
export function logSigmas(sigmas: Float64Array): Float64Array {
  return sigmas.map((s) => f(Math.log(s)))
}

/** numpy.interp(x, arange(len(ys)), ys) for x inside [0, len − 1]. */
export function interpolate(ys: ArrayLike<number>, x: number): number {
  if (x <= 0) return ys[0]
  if (x >= ys.length - 1) return ys[ys.length - 1]
  const i = Math.floor(x)
  const t = x - i
  return ys[i] + (ys[i + 1] - ys[i]) * t
}

/** numpy.round: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/** numpy.arange(start, stop, step): length ⌈(stop − start)/step⌉, values start + i·step. */
export function arange(start: number, stop: number, step: number): number[] {
  const n = Math.max(0, Math.ceil((stop - start) / step))
  return Array.from({ length: n }, (_, i) => start + i * step)
}

/** numpy.linspace(start, stop, num) (endpoint included). */
export function linspace(start: number, stop: number, num: number): number[] {
  if (num === 1) return [start]
  const step = (stop - start) / (num - 1)
  return Array.from({ length: num }, (_, i) => (i === num - 1 ? stop : start + i * step))
}

/**
 * Inference timesteps, noisiest first, by `timestep_spacing` (Table 2 of "Common Diffusion Noise
 * Schedules and Sample Steps are Flawed", arXiv:2305.08891), as EulerDiscreteScheduler and
 * DDIMScheduler.set_timesteps compute them:
 *
 *   linspace: linspace(0, N − 1, steps) reversed (Euler keeps the fractions; DDIM rounds)
 *   leading:  round(arange(0, steps) · ⌊N/steps⌋) reversed, + steps_offset
 *   trailing: round(arange(N, 0, −N/steps)) − 1
 */
export function spacedTimesteps(config: SchedulerConfig, steps: number, roundLinspace: boolean) {
  const n = config.numTrainTimesteps
  switch (config.timestepSpacing) {
    case 'linspace':
      return linspace(0, n - 1, steps)
        .map((t) => (roundLinspace ? roundHalfEven(t) : t))
        .reverse()
    case 'leading': {
      const ratio = Math.floor(n / steps)
      return arange(0, steps, 1)
        .map((i) => roundHalfEven(i * ratio) + config.stepsOffset)
        .reverse()
    }
    case 'trailing':
      return arange(n, 0, -n / steps).map((t) => roundHalfEven(t) - 1)
  }
}

/** Karras et al. (2022) sigmas: (σ_max^(1/ρ) + r·(σ_min^(1/ρ) − σ_max^(1/ρ)))^ρ, ρ = 7. */
export function karrasSigmas(sigmaMin: number, sigmaMax: number, steps: number): number[] {
  const rho = 7
  const lo = sigmaMin ** (1 / rho)
  const hi = sigmaMax ** (1 / rho)
  return linspace(0, 1, steps).map((r) => (hi + r * (lo - hi)) ** rho)
}

/** The (fractional) timestep whose training sigma is σ, interpolating in log σ (_sigma_to_t). */
export function sigmaToTimestep(sigma: number, logSigmas: Float64Array): number {
  const logSigma = Math.log(Math.max(sigma, 1e-10))
  // Last index whose log σ is ≤ the target, clipped so that index + 1 exists.
  let low = 0
  for (let i = 0; i < logSigmas.length; i++) if (logSigma - logSigmas[i] >= 0) low = i
  low = Math.min(low, logSigmas.length - 2)
  // The numerator mixes float64 and float32 (so float64); the denominator is float32 − float32.
  const w = Math.min(
    1,
    Math.max(0, (logSigmas[low] - logSigma) / f(logSigmas[low] - logSigmas[low + 1])),
  )
  return (1 - w) * low + w * (low + 1)
}

/**
 * How many of `steps` an img2img run with this strength takes, and where it starts, as
 * StableDiffusionImg2ImgPipeline.get_timesteps: init = min(⌊steps·strength⌋, steps),
 * start = max(steps − init, 0).
 */
export function strengthStart(steps: number, strength: number): number {
  const init = Math.min(Math.trunc(steps * strength), steps)
  return Math.max(steps - init, 0)
}
