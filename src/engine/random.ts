/**
 * Mulberry32: a small, fast 32-bit PRNG with good statistical quality for audio noise and
 * random starts. Deterministic per seed, the same in Node, workers and the browser.
 */
export function mulberry32(seed: number): () => number {
  // The state is kept as a signed 32-bit integer (the same 32 bits as mulberry32's unsigned one):
  // unsigned values above 2³¹ are doubles to V8, boxed anew on every draw (1.25× the time).
  let state = seed | 0
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * The seed whose stream is `seed`'s after `draws` values: mulberry32's state only advances by
 * 0x6D2B79F5 a draw, so skipping is one multiplication mod 2³² (a part of a split run starts
 * where the whole run would be).
 */
export function skipSeed(seed: number, draws: number): number {
  return ((seed >>> 0) + (Math.imul(draws, 0x6d2b79f5) >>> 0)) >>> 0
}
