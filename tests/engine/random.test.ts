import { describe, expect, it } from 'vitest'
import { mulberry32, skipSeed } from '../../src/engine/random'

/** Mulberry32 as published (Tommy Ettinger, 2017), in unsigned 32-bit arithmetic throughout. */
function reference(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1) >>> 0
    t = (t ^ (t + Math.imul(t ^ (t >>> 7), t | 61))) >>> 0
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('mulberry32', () => {
  // Seeds whose state crosses 2³¹ (kept signed inside) and the negative and fractional seeds
  // callers may pass (ToUint32 of them, as before).
  it.each([0, 1, 5, 0x7fffffff, 0x80000000, 0xfffffff0, -1, 2 ** 40 + 3, 12.75])(
    'draws the published stream from seed %d',
    (seed) => {
      const ours = mulberry32(seed)
      const theirs = reference(seed)
      for (let i = 0; i < 10000; i++) expect(ours()).toBe(theirs())
    },
  )

  it('skips ahead as drawing does', () => {
    const whole = mulberry32(9)
    for (let i = 0; i < 1000; i++) whole()
    const skipped = mulberry32(skipSeed(9, 1000))
    for (let i = 0; i < 100; i++) expect(skipped()).toBe(whole())
  })
})
