/**
 * A perceptually ordered dark-to-bright map (close to matplotlib's "magma"), used for
 * spectrograms: quiet is near black, loud is pale yellow. 256 entries, linear between stops.
 */
const STOPS: [number, number, number, number][] = [
  [0.0, 0, 0, 4],
  [0.13, 28, 16, 68],
  [0.25, 79, 18, 123],
  [0.38, 129, 37, 129],
  [0.5, 181, 54, 122],
  [0.63, 229, 80, 100],
  [0.75, 251, 135, 97],
  [0.88, 254, 194, 135],
  [1.0, 252, 253, 191],
]

const LUT = (() => {
  const lut = new Uint8Array(256 * 3)
  for (let i = 0; i < 256; i++) {
    const t = i / 255
    const k = STOPS.findIndex((s) => s[0] >= t)
    const hi = STOPS[Math.max(1, k)]
    const lo = STOPS[Math.max(0, k - 1)]
    const u = hi[0] === lo[0] ? 0 : (t - lo[0]) / (hi[0] - lo[0])
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = Math.round(lo[c + 1] + u * (hi[c + 1] - lo[c + 1]))
  }
  return lut
})()

/** RGB of `t` in 0..1. */
export function colormap(t: number): [number, number, number] {
  const i = Math.max(0, Math.min(255, Math.round(t * 255))) * 3
  return [LUT[i], LUT[i + 1], LUT[i + 2]]
}
