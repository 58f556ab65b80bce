/**
 * Gain values for an equal-power crossfade from `from` to `to` (each 0..1): g(u) = sin θ(u),
 * θ moving linearly from asin(from) to asin(to). A lane fading in follows sin, one fading out
 * cos, so g_in² + g_out² = 1 throughout and the loudness does not dip mid-switch (uncorrelated
 * sounds add by power). Starting from where a fade was interrupted keeps the curve continuous.
 */
export function equalPowerCurve(from: number, to: number, points = 32): Float32Array {
  const a = Math.asin(Math.max(0, Math.min(1, from)))
  const b = Math.asin(Math.max(0, Math.min(1, to)))
  const curve = new Float32Array(Math.max(2, points))
  for (let i = 0; i < curve.length; i++) {
    const u = i / (curve.length - 1)
    curve[i] = Math.sin(a + (b - a) * u)
  }
  return curve
}
