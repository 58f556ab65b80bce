import { describe, expect, it } from 'vitest'
import { joinArrays } from '../../src/engine/join-arrays'

describe('joinArrays', () => {
  it('puts the parts one after another in a new array of the kind asked for', () => {
    const floats = joinArrays(Float32Array, [Float32Array.of(0.5, -1), Float32Array.of(2.25)])
    expect(floats).toBeInstanceOf(Float32Array)
    expect(Array.from(floats)).toEqual([0.5, -1, 2.25])
    const bytes = joinArrays(Uint8Array, [Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3)])
    expect(bytes).toBeInstanceOf(Uint8Array)
    expect(Array.from(bytes)).toEqual([1, 2, 3])
  })

  it('copies: the result shares no memory with its parts, and views join as their own range', () => {
    const whole = Uint8Array.of(9, 8, 7, 6)
    const joined = joinArrays(Uint8Array, [whole.subarray(1, 3), whole.subarray(0, 1)])
    expect(Array.from(joined)).toEqual([8, 7, 9])
    whole[1] = 0
    expect(joined[0]).toBe(8)
  })

  it('gives an empty array of the kind for no parts', () => {
    const none = joinArrays(Float32Array, [])
    expect(none).toBeInstanceOf(Float32Array)
    expect(none.length).toBe(0)
  })
})
