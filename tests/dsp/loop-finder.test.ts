import { describe, expect, it } from 'vitest'
import { findLoop, loopOrder, loopSignal, refineLoop } from '../../src/dsp/loop-finder'
import { mulberry32 } from '../helpers/run-context'

/** rows × width planes repeating every `period` columns, plus a little noise. */
function periodicPicture(width: number, rows: number, period: number, noise: number, seed = 1) {
  const random = mulberry32(seed)
  const pattern = Float32Array.from({ length: rows * period }, () => random())
  return [0, 1, 2].map(() =>
    Float32Array.from({ length: rows * width }, (_, i) => {
      const y = Math.floor(i / width)
      const x = i % width
      return pattern[y * period + (x % period)] + noise * (random() - 0.5)
    }),
  )
}

describe('findLoop', () => {
  it('finds the period of a periodic picture and a jump of exactly one period', () => {
    const planes = periodicPicture(600, 48, 173, 0)
    const loop = findLoop(planes, 600, 48, { minPeriod: 150, maxPeriod: 0, drift: 8 })
    expect(loop?.period).toBe(173)
    expect(loop?.correlation).toBeCloseTo(1, 9)
    expect(loop!.end - loop!.start).toBe(173)
  })

  it('still finds it under noise, and not a multiple of it', () => {
    const planes = periodicPicture(900, 64, 160, 0.3, 2)
    const loop = findLoop(planes, 900, 64, { minPeriod: 150, maxPeriod: 0, drift: 8 })
    expect(loop?.period).toBe(160) // 320 correlates as well; the shortest wins
    expect(Math.abs(loop!.end - loop!.start - 160)).toBeLessThanOrEqual(8)
  })

  it("with 'correlation', jumps between the best correlated columns, as the essay does", () => {
    // The second stretch repeats the first twice as loud: its columns have the same shape
    // (correlation 1) but not the same level, so least difference picks other columns.
    const width = 400
    const rows = 16
    const period = 170
    const random = mulberry32(5)
    const pattern = Float32Array.from({ length: rows * period }, () => 0.1 + 0.4 * random())
    const plane = Float32Array.from({ length: rows * width }, (_, i) => {
      const x = i % width
      const gain = x >= period ? 2 : 1
      return gain * pattern[Math.floor(i / width) * period + (x % period)]
    })
    const options = { minPeriod: 150, maxPeriod: 0, drift: 4 }
    const correlated = findLoop([plane], width, rows, { ...options, splice: 'correlation' })
    const closest = findLoop([plane], width, rows, { ...options, splice: 'difference' })
    expect(correlated?.period).toBe(period)
    expect(correlated!.end - correlated!.start).toBe(period)
    const column = (x: number) => Array.from({ length: rows }, (_, y) => plane[y * width + x])
    const [a, b] = [column(correlated!.start), column(correlated!.end)]
    expect(b.map((v, y) => v / a[y])).toEqual(b.map(() => 2))
    // Least difference prefers columns whose levels are near, not the exact repeat.
    expect(closest!.end - closest!.start).not.toBe(period)
  })

  it('gives nothing when no length fits between the shortest and the longest', () => {
    expect(
      findLoop(periodicPicture(100, 4, 10, 0), 100, 4, { minPeriod: 60, maxPeriod: 0, drift: 0 }),
    ).toBeUndefined()
  })
})

describe('refineLoop', () => {
  it('moves points found on an 8-column grid onto the exact repeat in the picture', () => {
    // Period 203 is no multiple of 8: a latent search can only land within 8 columns of it.
    const planes = periodicPicture(640, 24, 203, 0, 4)
    const refined = refineLoop(planes, 640, 24, { start: 16, end: 216 }, 8)
    expect(refined.end - refined.start).toBe(203)
    for (const plane of planes)
      for (let y = 0; y < 24; y++)
        expect(plane[y * 640 + refined.end]).toBe(plane[y * 640 + refined.start])
  })

  it('keeps the coarse points where the picture cannot tell columns apart', () => {
    const flat = [new Float32Array(4 * 300).fill(0.5)]
    expect(refineLoop(flat, 300, 4, { start: 40, end: 240 }, 8)).toEqual({ start: 40, end: 240 })
  })
})

describe('loop order', () => {
  it('plays 0→b, a→b, a→end', () => {
    expect(Array.from(loopOrder(6, 2, 4, 1))).toEqual([0, 1, 2, 3, 2, 3, 2, 3, 4, 5])
    expect(Array.from(loopOrder(6, 2, 4, 0))).toEqual([0, 1, 2, 3, 2, 3, 4, 5])
  })

  it('splices a sound the same way, crossfading each jump', () => {
    const x = Float32Array.from({ length: 10 }, (_, i) => i)
    expect(Array.from(loopSignal(x, 2, 6, 1, 0))).toEqual([
      0, 1, 2, 3, 4, 5, 2, 3, 4, 5, 2, 3, 4, 5, 6, 7, 8, 9,
    ])
    const faded = loopSignal(x, 2, 6, 1, 2)
    // The first samples after a jump blend x[a + i] in and x[b + i] out (equal power).
    const t = 0.25
    expect(faded[6]).toBeCloseTo(
      Math.sin((Math.PI / 2) * t) * 2 + Math.cos((Math.PI / 2) * t) * 6,
      5,
    )
    expect(faded.length).toBe(18)
  })
})
