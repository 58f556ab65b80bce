/**
 * Scheduler settings, read from a model's scheduler/scheduler_config.json. As with diffusers'
 * `Scheduler.from_config`, values present in the file win; absent ones take the chosen
 * scheduler's own defaults (e.g. SD 1.5's file has no timestep_spacing, so Euler uses its
 * default 'linspace' and PNDM its default 'leading').
 */

export type SchedulerKind = 'euler' | 'euler-ancestral' | 'ddim' | 'pndm' | 'dpm++2m' | 'lcm'

export const SCHEDULER_KINDS: readonly SchedulerKind[] = [
  'euler',
  'euler-ancestral',
  'ddim',
  'pndm',
  'dpm++2m',
  'lcm',
]

export type BetaSchedule = 'linear' | 'scaled_linear' | 'squaredcos_cap_v2'
export type TimestepSpacing = 'linspace' | 'leading' | 'trailing'
export type PredictionType = 'epsilon' | 'v_prediction'

export interface SchedulerConfig {
  numTrainTimesteps: number
  betaStart: number
  betaEnd: number
  betaSchedule: BetaSchedule
  trainedBetas?: number[]
  predictionType: PredictionType
  timestepSpacing: TimestepSpacing
  stepsOffset: number
  /** DDIM/PNDM/LCM: ᾱ before the first training step is 1 (else ᾱ_0). */
  setAlphaToOne: boolean
  clipSample: boolean
  clipSampleRange: number
  useKarrasSigmas: boolean
  /** LCM: the distillation schedule's length (original_inference_steps). */
  originalInferenceSteps: number
  /** LCM: c_skip/c_out use t × this (timestep_scaling). */
  timestepScaling: number
}

/** The class name in scheduler_config.json → our kind; undefined for classes we lack. */
export function kindOfClass(className: string): SchedulerKind | undefined {
  const map: Record<string, SchedulerKind> = {
    EulerDiscreteScheduler: 'euler',
    EulerAncestralDiscreteScheduler: 'euler-ancestral',
    DDIMScheduler: 'ddim',
    PNDMScheduler: 'pndm',
    DPMSolverMultistepScheduler: 'dpm++2m',
    LCMScheduler: 'lcm',
  }
  return map[className]
}

/** Defaults of each diffusers class's __init__ where they differ between classes. */
const CLASS_DEFAULTS: Record<SchedulerKind, Partial<SchedulerConfig>> = {
  euler: { timestepSpacing: 'linspace', setAlphaToOne: false, clipSample: false },
  'euler-ancestral': { timestepSpacing: 'linspace', setAlphaToOne: false, clipSample: false },
  ddim: { timestepSpacing: 'leading', setAlphaToOne: true, clipSample: true },
  pndm: { timestepSpacing: 'leading', setAlphaToOne: false, clipSample: false },
  'dpm++2m': { timestepSpacing: 'linspace', setAlphaToOne: false, clipSample: false },
  // LCMScheduler, unlike the others, defaults to Stable Diffusion's own betas.
  lcm: {
    timestepSpacing: 'leading',
    setAlphaToOne: true,
    clipSample: false,
    betaStart: 0.00085,
    betaEnd: 0.012,
    betaSchedule: 'scaled_linear',
  },
}

const COMMON: SchedulerConfig = {
  numTrainTimesteps: 1000,
  betaStart: 0.0001,
  betaEnd: 0.02,
  betaSchedule: 'linear',
  predictionType: 'epsilon',
  timestepSpacing: 'leading',
  stepsOffset: 0,
  setAlphaToOne: false,
  clipSample: false,
  clipSampleRange: 1,
  useKarrasSigmas: false,
  originalInferenceSteps: 50,
  timestepScaling: 10,
}

/** SD 1.5's scheduler_config.json, for models that ship none. */
export const SD15_SCHEDULER_JSON = {
  _class_name: 'PNDMScheduler',
  beta_start: 0.00085,
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  num_train_timesteps: 1000,
  set_alpha_to_one: false,
  skip_prk_steps: true,
  steps_offset: 1,
  clip_sample: false,
}

type Json = Record<string, unknown>

function pick<T>(json: Json, key: string, ok: (v: unknown) => v is T): T | undefined {
  const value = json[key]
  return ok(value) ? value : undefined
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const isBool = (v: unknown): v is boolean => typeof v === 'boolean'
const oneOf =
  <T extends string>(options: readonly T[]) =>
  (v: unknown): v is T =>
    typeof v === 'string' && (options as readonly string[]).includes(v)
const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every(isNumber)

/**
 * Builds the config for `kind` from a scheduler_config.json object. Throws on settings we do not
 * implement (a prediction type other than epsilon/v_prediction, an unknown beta schedule).
 */
export function schedulerConfig(kind: SchedulerKind, json: Json = SD15_SCHEDULER_JSON) {
  const defaults = { ...COMMON, ...CLASS_DEFAULTS[kind] }
  const prediction = json.prediction_type ?? 'epsilon'
  if (!oneOf(['epsilon', 'v_prediction'] as const)(prediction)) {
    throw new Error(`prediction_type ${JSON.stringify(prediction)} is not supported`)
  }
  const schedule = json.beta_schedule ?? defaults.betaSchedule
  if (!oneOf(['linear', 'scaled_linear', 'squaredcos_cap_v2'] as const)(schedule)) {
    throw new Error(`beta_schedule ${JSON.stringify(schedule)} is not supported`)
  }
  const spacing = oneOf(['linspace', 'leading', 'trailing'] as const)
  const config: SchedulerConfig = {
    numTrainTimesteps: pick(json, 'num_train_timesteps', isNumber) ?? defaults.numTrainTimesteps,
    betaStart: pick(json, 'beta_start', isNumber) ?? defaults.betaStart,
    betaEnd: pick(json, 'beta_end', isNumber) ?? defaults.betaEnd,
    betaSchedule: schedule,
    trainedBetas: pick(json, 'trained_betas', isNumbers),
    predictionType: prediction,
    timestepSpacing: pick(json, 'timestep_spacing', spacing) ?? defaults.timestepSpacing,
    stepsOffset: pick(json, 'steps_offset', isNumber) ?? defaults.stepsOffset,
    setAlphaToOne: pick(json, 'set_alpha_to_one', isBool) ?? defaults.setAlphaToOne,
    clipSample: pick(json, 'clip_sample', isBool) ?? defaults.clipSample,
    clipSampleRange: pick(json, 'clip_sample_range', isNumber) ?? defaults.clipSampleRange,
    useKarrasSigmas: pick(json, 'use_karras_sigmas', isBool) ?? defaults.useKarrasSigmas,
    originalInferenceSteps:
      pick(json, 'original_inference_steps', isNumber) ?? defaults.originalInferenceSteps,
    timestepScaling: pick(json, 'timestep_scaling', isNumber) ?? defaults.timestepScaling,
  }
  return config
}
