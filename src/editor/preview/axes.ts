/** Round tick values between `min` and `max`, about `count` of them (steps of 1, 2 or 5 × 10ⁿ). */
export function niceTicks(min: number, max: number, count = 6): number[] {
  const span = max - min
  if (!(span > 0) || !Number.isFinite(span)) return [min]
  const raw = span / Math.max(1, count)
  const power = Math.pow(10, Math.floor(Math.log10(raw)))
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw * 0.8) ?? 10 * power
  const ticks: number[] = []
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step)
    ticks.push(Number(t.toPrecision(12)))
  return ticks
}
