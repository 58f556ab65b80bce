import { UserError } from '../../engine/errors'
import type { SchedulerConfig, SchedulerKind } from './config'
import { createDdim } from './ddim'
import { createDpmSolver } from './dpm-solver'
import { createEuler } from './euler'
import { createLcm } from './lcm'
import { createPndm } from './pndm'
import { strengthStart } from './noise-schedule'
import type { Scheduler } from './types'

export * from './config'
export type { Scheduler } from './types'

/**
 * A fresh schedule for one run of `steps` steps. `strength` < 1 is img2img: the run starts part
 * way down the schedule, as diffusers' img2img pipelines do (see `strengthStart`); at 0 it has no
 * steps at all. LCM is the exception: its strength shortens the distillation schedule it picks
 * its steps from, so it still runs all `steps` (LCMScheduler.set_timesteps(strength=…)); at 0 it too passes the
 * image through, where diffusers would refuse.
 */
export function createScheduler(
  kind: SchedulerKind,
  config: SchedulerConfig,
  steps: number,
  strength = 1,
): Scheduler {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new UserError(`Steps must be a whole number of at least 1, not ${steps}`)
  }
  if (!(strength >= 0 && strength <= 1)) {
    throw new UserError(`Strength must be between 0 and 1, not ${strength}`)
  }
  if (strength === 0) return noSteps(kind)
  // Cutting steps would leave LCM none below strength 1/steps, where diffusers still runs them all.
  if (kind !== 'lcm' && strengthStart(steps, strength) >= steps) return noSteps(kind)
  switch (kind) {
    case 'euler':
      return createEuler(config, steps, strength, false)
    case 'euler-ancestral':
      return createEuler(config, steps, strength, true)
    case 'ddim':
      return createDdim(config, steps, strength)
    case 'pndm':
      return createPndm(config, steps, strength)
    case 'dpm++2m':
      return createDpmSolver(config, steps, strength)
    case 'lcm':
      return createLcm(config, steps, strength)
  }
}

/** Strength so low that no step remains: the latent passes through unchanged. */
function noSteps(kind: SchedulerKind): Scheduler {
  return {
    kind,
    timesteps: [],
    initNoiseSigma: 1,
    addNoise: (x0) => x0.slice(),
    scaleModelInput: (sample) => sample,
    step: (_output, _index, sample) => sample,
  }
}
