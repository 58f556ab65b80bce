import type { NpyArray } from '../../src/media/npy'
import { fixtureNpy } from './fixtures'

/**
 * Reads a fixture .npy in C or Fortran order, as C-order data. src/media/npy.ts now handles
 * Fortran order itself (one reference fixture was saved that way); this name is kept for the
 * tests that import it.
 */
export function fixtureNpyAnyOrder(relative: string): NpyArray {
  return fixtureNpy(relative)
}
