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
 *
 * Each is a sum of cosines of period N, w_n = a0 − a1·cos θ_n + a2·cos 2θ_n, so windowing can
 * be done after the DFT instead of before it (Harris 1978, §5): cos θ_n·x_n transforms to
 * (X_{k−1} + X_{k+1})/2, hence
 *
 *   DFT(w·x)_k = a0·X_k − (a1/2)·(X_{k−1} + X_{k+1}) + (a2/2)·(X_{k−2} + X_{k+2})
 *
 * with X periodic in N and X_{−k} = conj X_k for real x.
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

/** The cosine-sum coefficients [a0, a1, a2] of each window, as in the formulas above. */
const COSINE_SUM: Record<WindowName, readonly [number, number, number]> = {
  hann: [0.5, 0.5, 0],
  hamming: [0.54, 0.46, 0],
  blackman: [0.42, 0.5, 0.08],
  rectangular: [1, 0, 0],
}

/**
 * The window as a convolution of the spectrum, [c0, c1, c2] with
 * DFT(w·x)_k = c0·X_k + c1·(X_{k−1} + X_{k+1}) + c2·(X_{k−2} + X_{k+2}); exact for
 * `makeWindow(name, N)` at any N ≥ 2 (up to its float32 rounding, ≤ 6e-8 of 1).
 */
export function windowSpectrumTaps(name: WindowName): readonly [number, number, number] {
  const [a0, a1, a2] = COSINE_SUM[name]
  return [a0, -a1 / 2, a2 / 2]
}

function windowValue(name: WindowName, theta: number): number {
  const [a0, a1, a2] = COSINE_SUM[name]
  if (a1 === 0) return a0
  return a0 - a1 * Math.cos(theta) + (a2 === 0 ? 0 : a2 * Math.cos(2 * theta))
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
