import { describe, expect, it } from 'vitest'
import { rgbToStereo } from '../../src/dsp/rgb-stereo'

describe('rgbToStereo', () => {
  it('puts red left, blue right and green in the centre at −3 dB each side', () => {
    const [l, r] = rgbToStereo([
      Float32Array.of(1, 0),
      Float32Array.of(0, 1),
      Float32Array.of(0.5, 0),
    ])
    expect(Array.from(l)).toEqual([1, Math.fround(Math.SQRT1_2)])
    expect(Array.from(r)).toEqual([0.5, Math.fround(Math.SQRT1_2)])
  })

  it('keeps green as loud in total power as red alone (equal-power centre)', () => {
    const n = 1000
    const tone = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.1))
    const z = new Float32Array(n)
    const power = (chs: Float32Array[]) =>
      chs.reduce((s, c) => s + c.reduce((a, v) => a + v * v, 0), 0)
    expect(power(rgbToStereo([z, tone, z]))).toBeCloseTo(power(rgbToStereo([tone, z, z])), 3)
  })

  it('passes mono and stereo through and refuses other channel counts', () => {
    const a = new Float32Array(3)
    expect(rgbToStereo([a])).toEqual([a])
    expect(() => rgbToStereo([a, a, a, a])).toThrow(/4 channels/)
  })
})
