import { describe, expect, it } from 'vitest'
import { readNpy, writeNpyFloat32 } from '../../src/media/npy'

describe('npy', () => {
  it('round-trips float32 arrays with their shape, data aligned as numpy writes it', () => {
    const data = Float32Array.from({ length: 24 }, (_, i) => i * 0.5 - 3)
    const bytes = writeNpyFloat32(data, [2, 3, 4])
    const headerLength = new DataView(bytes.buffer).getUint16(8, true)
    expect((10 + headerLength) % 64).toBe(0)
    const back = readNpy(bytes)
    expect(back.shape).toEqual([2, 3, 4])
    expect(Array.from(back.data)).toEqual(Array.from(data))
  })

  it('writes one-dimensional shapes in numpy tuple syntax', () => {
    const text = new TextDecoder().decode(writeNpyFloat32(new Float32Array(3), [3]).subarray(0, 80))
    expect(text).toContain("'shape': (3,)")
  })

  it('reads Fortran-ordered files into C order', () => {
    // The 2×3 matrix [[1,2,3],[4,5,6]] stored column-major is 1,4,2,5,3,6.
    const bytes = writeNpyFloat32(Float32Array.of(1, 4, 2, 5, 3, 6), [2, 3])
    const text = new TextDecoder().decode(bytes)
    const at = text.indexOf("'fortran_order': False, ")
    bytes.set(new TextEncoder().encode("'fortran_order': True,  "), at)
    expect(Array.from(readNpy(bytes).data)).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('rejects data that is not npy', () => {
    expect(() => readNpy(new TextEncoder().encode('hello world'))).toThrow(/Not a .npy file/)
  })

  it('refuses a shape that does not hold the data', () => {
    expect(() => writeNpyFloat32(new Float32Array(5), [2, 3])).toThrow(/does not hold 5/)
  })
})
