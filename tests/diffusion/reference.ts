import { readFileSync } from 'node:fs'
import type { SchedulerKind } from '../../src/diffusion/schedulers'

/**
 * The numbers of tests/diffusion/fixtures/make_scheduler_reference.py: numpy code written in the
 * structure of diffusers' schedulers and LCM pipeline, with numpy's own rounding and arange.
 */
export interface SchedulerCase {
  name: string
  kind: SchedulerKind
  config: Record<string, unknown>
  steps: number
  strength: number
  timesteps: number[]
  /** Relative; absent: exact. */
  timestepTolerance?: number
  sigmas?: number[]
  initNoiseSigma: number
  final: number[]
}

/** get_guidance_scale_embedding(guidance − 1, dim), as LCM pipelines feed timestep_cond. */
export interface GuidanceEmbeddingCase {
  guidanceScale: number
  dim: number
  values: number[]
}

export const reference = JSON.parse(
  readFileSync(new URL('./fixtures/schedulers.json', import.meta.url), 'utf8'),
) as { cases: SchedulerCase[]; guidanceEmbeddings: GuidanceEmbeddingCase[] }

/** The reference embedding for one guidance scale and width. */
export function referenceEmbedding(guidanceScale: number, dim: number): number[] {
  const found = reference.guidanceEmbeddings.find(
    (e) => e.guidanceScale === guidanceScale && e.dim === dim,
  )
  if (!found) throw new Error(`No reference embedding for guidance ${guidanceScale}, dim ${dim}`)
  return found.values
}
