/**
 * Analysis windows, periodic (DFT-even) as torch's defaults (`periodic=True`): the symmetric
 * window of length N+1 without its last point, so a Hann window at hop N/2 or N/4 overlap-adds
 * to a constant. With θ_n = 2πn/N (Harris 1978; torch.hann_window, hamming_window,
 * blackman_window):
 *
 *   hann        0.5  − 0.5·cos θ_n
 *   hamming     0.54 − 0.46·cos θ_n
 *   blackman    0.42 − 0.5·cos θ_n + 0.08·cos 2θ_n
 *   rectangular 1
 *
 * As in torch, a window of length 1 is [1].
 */

/** The same literals as WindowName in src/engine/values.ts (src/dsp imports nothing of ours). */
export type WindowName = 'hann' | 'hamming' | 'blackman' | 'rectangular'

export const WINDOW_NAMES: readonly WindowName[] = ['hann', 'hamming', 'blackman', 'rectangular']

const cache = new Map<string, Float32Array>()

/** A periodic window of `size` points. Cached: treat the result as read-only. */
export function makeWindow(name: WindowName, size: number): Float32Array {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`Window size must be ≥ 1, not ${size}`)
  const key = `${name}:${size}`
  const cached = cache.get(key)
  if (cached) return cached
  const window = new Float32Array(size)
  for (let n = 0; n < size; n++) {
    const theta = (2 * Math.PI * n) / size
    window[n] = size === 1 ? 1 : windowValue(name, theta)
  }
  cache.set(key, window)
  return window
}

function windowValue(name: WindowName, theta: number): number {
  switch (name) {
    case 'hann':
      return 0.5 - 0.5 * Math.cos(theta)
    case 'hamming':
      return 0.54 - 0.46 * Math.cos(theta)
    case 'blackman':
      return 0.42 - 0.5 * Math.cos(theta) + 0.08 * Math.cos(2 * theta)
    case 'rectangular':
      return 1
  }
}

/**
 * A window of `length` points centred in `size` zeros, as torch.stft pads a window shorter than
 * n_fft: ⌊(size − length)/2⌋ zeros on the left. `length` undefined or equal to `size` gives
 * `makeWindow(name, size)`. Cached: treat the result as read-only.
 */
export function paddedWindow(name: WindowName, size: number, length?: number): Float32Array {
  if (length === undefined || length === size) return makeWindow(name, size)
  if (!Number.isInteger(length) || length < 1 || length > size)
    throw new RangeError(`Window length ${length} must be between 1 and the FFT size ${size}`)
  const key = `${name}:${size}:${length}`
  const cached = cache.get(key)
  if (cached) return cached
  const window = new Float32Array(size)
  window.set(makeWindow(name, length), Math.floor((size - length) / 2))
  cache.set(key, window)
  return window
}
