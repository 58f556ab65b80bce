/**
 * Edge padding of a signal, as torch.nn.functional.pad for 1-D input:
 *
 *   reflect   y[−i] = x[i], y[L−1+i] = x[L−1−i]  (mirror about the edge samples, which are not
 *             repeated; numpy.pad mode 'reflect'). Needs pad ≤ L−1, as torch does.
 *   constant  zeros.
 */
export type PadMode = 'reflect' | 'constant'

/** The shortest signal `mode` can pad by `pad` samples on each side. */
export function minimumLengthForPad(pad: number, mode: PadMode): number {
  return mode === 'reflect' && pad > 0 ? pad + 1 : 0
}

/** Sample j of x extended past its ends by `mode` (−L < j < 2L − 1 for reflect). */
export function paddedSample(x: Float32Array | Float64Array, j: number, mode: PadMode): number {
  const length = x.length
  if (j >= 0 && j < length) return x[j]
  if (mode === 'constant') return 0
  return j < 0 ? x[-j] : x[2 * length - 2 - j]
}
