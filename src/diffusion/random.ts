import { mulberry32 } from '../engine/random'

/**
 * Seeded Gaussian noise: Box–Muller over mulberry32. The same seed gives the same numbers in
 * Node, workers and every browser (no platform RNG involved), so the same graph and seed give the
 * same latent noise everywhere; results still differ across execution providers by float error.
 *
 * Each use draws from its own stream (initial noise, VAE sampling, ancestral steps), so turning
 * one on or off does not shift the numbers the others see.
 */

export const NoiseStream = {
  initial: 1,
  vaeSample: 2,
  scheduler: 3,
} as const

export interface Gaussian {
  /** One standard normal number. */
  next(): number
  /** `n` standard normal numbers. */
  fill(n: number): Float32Array
}

/** Mixes a seed (any non-negative integer up to 2^53) and a stream id into 32 bits. */
export function streamSeed(seed: number, stream: number): number {
  const low = seed >>> 0
  const high = Math.floor(seed / 4294967296) >>> 0
  // murmur3's 32-bit finaliser over the parts: nearby seeds give unrelated streams.
  let h = (low ^ Math.imul(high, 0x9e3779b1) ^ Math.imul(stream, 0x85ebca6b)) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

export function createGaussian(seed: number, stream: number = NoiseStream.initial): Gaussian {
  const uniform = mulberry32(streamSeed(seed, stream))
  let spare: number | undefined
  const next = (): number => {
    if (spare !== undefined) {
      const value = spare
      spare = undefined
      return value
    }
    // Box–Muller: u1 in (0, 1] keeps log finite; the pair (r cos θ, r sin θ) is two normals.
    const u1 = 1 - uniform()
    const theta = 2 * Math.PI * uniform()
    const r = Math.sqrt(-2 * Math.log(u1))
    spare = r * Math.sin(theta)
    return r * Math.cos(theta)
  }
  return {
    next,
    fill(n) {
      const out = new Float32Array(n)
      for (let i = 0; i < n; i++) out[i] = next()
      return out
    },
  }
}
