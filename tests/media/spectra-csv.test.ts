import { describe, expect, it } from 'vitest'
import type { FramesValue } from '../../src/engine/values'
import { float32Text, parseSpectraCsv, spectraCsv } from '../../src/media/spectra-csv'
import { mulberry32 } from '../helpers/run-context'

function spectra(frames: number, bins: number): FramesValue {
  const random = mulberry32(3)
  return {
    kind: 'frames',
    fps: 24,
    width: bins,
    height: 1,
    frames: Array.from({ length: frames }, () => [Float32Array.from({ length: bins }, random)]),
    binHz: Array.from({ length: bins }, (_, k) => 30 * 1.5 ** k),
  }
}

describe('spectra as CSV', () => {
  it('writes a header of bin frequencies and one row per frame with its time', () => {
    const value = spectra(3, 4)
    value.frames[1][0].set([0, 0.5, 1, 0.25])
    const lines = spectraCsv(value).trimEnd().split('\n')
    expect(lines[0]).toBe('time_s,30,45,67.5,101.25')
    expect(lines).toHaveLength(4)
    expect(lines[2]).toBe('0.041667,0,0.5,1,0.25')
  })

  it('reads back exactly what it wrote (a round trip of 72 frames × 256 bins)', () => {
    const value = spectra(72, 256)
    const parsed = parseSpectraCsv(spectraCsv(value))
    expect(parsed.levels).toEqual(value.frames.map((f) => f[0]))
    expect(parsed.timesSec[71]).toBeCloseTo(71 / 24, 6)
    parsed.binHz.forEach((hz, k) => expect(hz).toBeCloseTo(value.binHz?.[k] ?? 0, 3))
  })

  it('writes each level with the fewest digits that read back as the same float32', () => {
    expect(float32Text(Math.fround(0.1))).toBe('0.1')
    expect(float32Text(0)).toBe('0')
    expect(float32Text(1)).toBe('1')
    const awkward = Math.fround(1 / 3)
    expect(Math.fround(Number(float32Text(awkward)))).toBe(awkward)
    expect(float32Text(awkward).length).toBeLessThanOrEqual(11)
  })

  it('refuses frames that are pictures, and CSV that is not a spectra table', () => {
    const picture: FramesValue = { ...spectra(1, 4), height: 2, binHz: undefined }
    expect(() => spectraCsv(picture)).toThrow(/Only spectra/)
    expect(() => parseSpectraCsv('a,b\n1,2\n')).toThrow(/time_s/)
    expect(() => parseSpectraCsv('time_s,30\n0,x\n')).toThrow(/Row 2/)
  })
})
