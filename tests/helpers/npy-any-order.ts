import { readNpy, type NpyArray } from '../../src/media/npy'
import { fixtureBytes } from './fixtures'

/**
 * Reads a fixture .npy in C or Fortran order, returning C-order data. src/media/npy.ts refuses
 * Fortran order, and numpy saved one reference fixture that way (a transposed torch view).
 */
export function fixtureNpyAnyOrder(relative: string): NpyArray {
  const bytes = fixtureBytes(relative)
  const head = new TextDecoder().decode(bytes.subarray(0, 256))
  const marker = "'fortran_order': True, "
  const at = head.indexOf(marker)
  if (at < 0) return readNpy(bytes)
  // Same byte length, so the header stays valid; the data are then the C-order transpose.
  bytes.set(new TextEncoder().encode("'fortran_order': False,"), at)
  const transposed = readNpy(bytes)
  const shape = transposed.shape
  const count = transposed.data.length
  const data = new Float64Array(count)
  // Element (i0, i1, …) sits at i0 + s0·(i1 + s1·(…)) in Fortran order.
  const strides = shape.map((_, d) => shape.slice(0, d).reduce((a, b) => a * b, 1))
  for (let c = 0; c < count; c++) {
    let rest = c
    let f = 0
    for (let d = shape.length - 1; d >= 0; d--) {
      f += (rest % shape[d]) * strides[d]
      rest = Math.floor(rest / shape[d])
    }
    data[c] = transposed.data[f]
  }
  return { ...transposed, data }
}
