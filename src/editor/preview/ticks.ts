import { niceTicks } from './axes'
import type { Span } from './thumbs'
import type { Tick } from './Plot'

/**
 * Ticks for a span of value units shown in some other unit (`scale` converts: samples → s,
 * bins → Hz). `flip` puts the start at the bottom (frequency axes).
 */
export function ticksFor(
  span: Span,
  scale: number,
  format: (v: number) => string,
  flip = false,
  count = 6,
): Tick[] {
  const lo = span.start * scale
  const hi = span.end * scale
  return niceTicks(lo, hi, count).map((v) => {
    const t = (v - lo) / (hi - lo || 1)
    return { at: flip ? 1 - t : t, label: format(v) }
  })
}

export const secondsLabel = (v: number) =>
  Math.abs(v) < 10 ? v.toFixed(2).replace(/\.?0+$/, '') || '0' : v.toFixed(1)
export const hzLabel = (v: number) =>
  v >= 1000 ? `${+(v / 1000).toFixed(2)}k` : `${Math.round(v)}`
