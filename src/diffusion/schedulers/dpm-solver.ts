import type { SchedulerConfig } from './config'
import {
  alphasCumprod,
  arange,
  interpolate,
  karrasSigmas,
  linspace,
  logSigmas,
  roundHalfEven,
  sigmaToTimestep,
  strengthStart,
  trainSigmas,
} from './noise-schedule'
import { axpby, type Scheduler } from './types'

/**
 * DPM-Solver++(2M) (Lu et al. 2022, arXiv:2211.01095, Algorithm 2), as diffusers'
 * DPMSolverMultistepScheduler with algorithm_type 'dpmsolver++', solver_order 2, solver_type
 * 'midpoint', lower_order_final, final_sigmas_type 'zero':
 *
 *   timesteps (linspace): round(linspace(0, N − 1, steps + 1)) reversed, last dropped
 *             (leading: arange(0, steps + 1)·⌊N/(steps + 1)⌋ reversed, last dropped, + offset;
 *              trailing: round(arange(N, 0, −N/steps)) − 1)
 *   σ_i = interp(t_i, training σ), then 0;  α = 1/√(σ² + 1), σ' = σ·α,  λ = log α − log σ'
 *   x0 = (x − σ'_s·ε)/α_s  (v_prediction: x0 = α_s·x − σ'_s·v)
 *   h = λ_t − λ_s
 *   1st order (first step, last step): x_t = (σ'_t/σ'_s)·x − α_t(e^−h − 1)·x0
 *   2nd order: r = (λ_s − λ_prev)/h, D1 = (x0 − x0_prev)/r,
 *              x_t = (σ'_t/σ'_s)·x − α_t(e^−h − 1)·x0 − ½·α_t(e^−h − 1)·D1
 *   img2img: x = α_start·x0 + σ'_start·ε
 */
export function createDpmSolver(
  config: SchedulerConfig,
  steps: number,
  strength: number,
): Scheduler {
  const n = config.numTrainTimesteps
  const train = trainSigmas(alphasCumprod(config))
  let timesteps: number[]
  if (config.timestepSpacing === 'linspace') {
    timesteps = linspace(0, n - 1, steps + 1)
      .map(roundHalfEven)
      .reverse()
      .slice(0, -1)
  } else if (config.timestepSpacing === 'leading') {
    const ratio = Math.floor(n / (steps + 1))
    timesteps = arange(0, steps + 1, 1)
      .map((i) => roundHalfEven(i * ratio))
      .reverse()
      .slice(0, -1)
      .map((t) => t + config.stepsOffset)
  } else {
    timesteps = arange(n, 0, -n / steps).map((t) => roundHalfEven(t) - 1)
  }
  let sigmas: number[]
  if (config.useKarrasSigmas) {
    sigmas = karrasSigmas(train[0], train[n - 1], steps)
    const logs = logSigmas(train)
    timesteps = sigmas.map((s) => roundHalfEven(sigmaToTimestep(s, logs)))
  } else {
    sigmas = timesteps.map((t) => interpolate(train, t))
  }
  sigmas = [...sigmas, 0].map(Math.fround)

  const begin = strengthStart(steps, strength)
  const last = timesteps.length - 1
  const alphaOf = (sigma: number) => 1 / Math.sqrt(sigma * sigma + 1)
  const lambdaOf = (sigma: number) => Math.log(alphaOf(sigma)) - Math.log(sigma * alphaOf(sigma))
  let previous: Float32Array | undefined
  let lowerOrderNums = 0

  return {
    kind: 'dpm++2m',
    timesteps: timesteps.slice(begin),
    sigmas: sigmas.slice(begin),
    initNoiseSigma: 1,
    addNoise(x0, noise) {
      const sigma = sigmas[begin]
      return axpby(alphaOf(sigma), x0, sigma * alphaOf(sigma), noise)
    },
    scaleModelInput: (sample) => sample,
    step(modelOutput, index, sample) {
      const s = begin + index
      const sigmaS = sigmas[s]
      const sigmaT = sigmas[s + 1]
      const alphaS = alphaOf(sigmaS)
      const alphaT = alphaOf(sigmaT)
      const x0 =
        config.predictionType === 'v_prediction'
          ? axpby(alphaS, sample, -sigmaS * alphaS, modelOutput)
          : axpby(1 / alphaS, sample, -sigmaS, modelOutput)
      // σ'_t/σ'_s and e^−h; at the final σ = 0, λ_t = ∞, so the ratio and e^−h are 0: x_t = x0.
      const ratio = (sigmaT * alphaT) / (sigmaS * alphaS)
      const h = lambdaOf(sigmaT) - lambdaOf(sigmaS)
      const expm = Math.exp(-h) - 1
      let out: Float32Array
      if (previous === undefined || lowerOrderNums < 1 || s === last) {
        out = axpby(ratio, sample, -alphaT * expm, x0)
      } else {
        const r = (lambdaOf(sigmaS) - lambdaOf(sigmas[s - 1])) / h
        out = new Float32Array(sample.length)
        const c0 = -alphaT * expm
        const c1 = (-0.5 * alphaT * expm) / r
        for (let k = 0; k < out.length; k++) {
          out[k] = ratio * sample[k] + c0 * x0[k] + c1 * (x0[k] - previous[k])
        }
      }
      previous = x0
      lowerOrderNums = Math.min(lowerOrderNums + 1, 2)
      return out
    },
    move(transform) {
      if (previous) previous = transform(previous)
    },
  }
}
