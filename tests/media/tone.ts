/** Measuring test tones: frequency by zero crossings, level by RMS. */

export function sine(
  n: number,
  rateHz: number,
  hz: number,
  amplitude = 1,
  phase = 0,
): Float32Array {
  return Float32Array.from(
    { length: n },
    (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rateHz + phase),
  )
}

/**
 * Frequency of a pure tone from its rising zero crossings, each located by linear interpolation:
 * f = (crossings − 1) / (t_last − t_first). Over hundreds of periods this is accurate to far better
 * than 0.1 % for a clean tone; codec noise moves single crossings, not the average.
 */
export function zeroCrossingHz(x: Float32Array, rateHz: number, from = 0, to = x.length): number {
  const times: number[] = []
  for (let i = Math.max(1, from); i < to; i++) {
    if (x[i - 1] < 0 && x[i] >= 0) times.push(i - 1 + x[i - 1] / (x[i - 1] - x[i]))
  }
  if (times.length < 2) return 0
  return ((times.length - 1) * rateHz) / (times[times.length - 1] - times[0])
}

export function rms(x: Float32Array, from = 0, to = x.length): number {
  let sum = 0
  for (let i = from; i < to; i++) sum += x[i] * x[i]
  return Math.sqrt(sum / Math.max(1, to - from))
}

export function peak(x: Float32Array): number {
  let m = 0
  for (const v of x) m = Math.max(m, Math.abs(v))
  return m
}
