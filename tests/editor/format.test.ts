import { describe, expect, it } from 'vitest'
import { formatSeconds } from '../../src/editor/preview/format'

describe('formatSeconds', () => {
  it('shows short spans in seconds and long ones as minutes:seconds', () => {
    expect(formatSeconds(0.5)).toBe('0.50 s')
    expect(formatSeconds(12.34)).toBe('12.3 s')
    expect(formatSeconds(75)).toBe('1:15')
    expect(formatSeconds(600)).toBe('10:00')
  })

  it('carries a rounded-up second into the minutes instead of showing :60', () => {
    expect(formatSeconds(179.99)).toBe('3:00')
    expect(formatSeconds(119.6)).toBe('2:00')
    expect(formatSeconds(119.4)).toBe('1:59')
  })

  it('moves to the next unit when rounding reaches it', () => {
    expect(formatSeconds(9.999)).toBe('10.0 s')
    expect(formatSeconds(59.97)).toBe('1:00')
    expect(formatSeconds(59.94)).toBe('59.9 s')
  })

  it('shows a dash for a length that is not a number', () => {
    expect(formatSeconds(Number.NaN)).toBe('–')
    expect(formatSeconds(Number.POSITIVE_INFINITY)).toBe('–')
  })
})
