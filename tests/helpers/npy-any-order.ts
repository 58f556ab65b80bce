import type { NpyArray } from '../../src/media/npy'
import { fixtureNpy } from './fixtures'

/** Reads a fixture .npy in C or Fortran order (readNpy handles both), as C-order data. */
export function fixtureNpyAnyOrder(relative: string): NpyArray {
  return fixtureNpy(relative)
}
