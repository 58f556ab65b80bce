import type { FloatParam, IntParam, SeedParam } from '../../engine/params'

/**
 * "0 = FFT size / 2", "0 keeps the image's", "(0: never; …": a description that opens a clause
 * with what 0 does. Only whole-number params that start at 0 are read this way: for a float,
 * 0 is an amount (momentum 0 is classic Griffin-Lim, background 0 is black).
 */
const ZERO_CLAUSE = /(?:^|[;(]\s*)0(?:\s*=|\s+keeps|\s+means|:\s*(?:(\w+)(?=[;,.)])|))/

/**
 * What a number param's 0 stands for, when 0 is a switch rather than an amount: the spec's
 * `zeroLabel`, else read from its description — "never" where it says "0: never", otherwise
 * "auto". Undefined when 0 is just 0.
 */
export function zeroLabel(spec: IntParam | FloatParam | SeedParam): string | undefined {
  if (spec.type !== 'int') return undefined
  if (spec.zeroLabel) return spec.zeroLabel
  if (spec.min !== 0) return undefined
  const match = ZERO_CLAUSE.exec(spec.description ?? '')
  return match ? (match[1] ?? 'auto') : undefined
}
