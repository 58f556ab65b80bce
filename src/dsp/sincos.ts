/**
 * sin and cos together, for hot loops over large phases (phase vocoder accumulators reach
 * 1e7 rad, where Math.sin/cos take their slow Payne–Hanek argument reduction). Cody–Waite
 * reduction by 2π (C1 has 8 significant bits, so k·C1 is exact) and then by π/2 to
 * |y| ≤ π/4, where Taylor polynomials of degree 11 (sin) and 12 (cos) err by < 1e-11
 * (the next terms, (π/4)^13/13! and (π/4)^14/14!). Accurate to ~1e-11 absolute for
 * |x| < 2^31: far below float32 resolution (6e-8), which is all callers keep.
 */
const C1 = 6.28125
const C2 = 1.9353071795864769253e-3 // 2π − C1 to full precision (not 2*Math.PI − C1)
const INVERSE_TWO_PI = 1 / (2 * Math.PI)
const TWO_OVER_PI = 2 / Math.PI
const HALF_PI_1 = 1.5703125 // 8 significant bits: q·HALF_PI_1 is exact for |q| ≤ 4
const HALF_PI_2 = 4.8382679489661923132e-4 // π/2 − HALF_PI_1

/** Writes [sin x, cos x] into `out`. */
export function sinCos(x: number, out: Float64Array): void {
  const k = Math.round(x * INVERSE_TWO_PI)
  const r = x - k * C1 - k * C2
  const q = Math.round(r * TWO_OVER_PI)
  const y = r - q * HALF_PI_1 - q * HALF_PI_2
  const y2 = y * y
  const s =
    y *
    (1 +
      y2 * (-1 / 6 + y2 * (1 / 120 + y2 * (-1 / 5040 + y2 * (1 / 362880 + y2 * (-1 / 39916800))))))
  const c =
    1 +
    y2 *
      (-1 / 2 +
        y2 *
          (1 / 24 +
            y2 * (-1 / 720 + y2 * (1 / 40320 + y2 * (-1 / 3628800 + y2 * (1 / 479001600))))))
  switch (q & 3) {
    case 0:
      out[0] = s
      out[1] = c
      return
    case 1:
      out[0] = c
      out[1] = -s
      return
    case 2:
      out[0] = -s
      out[1] = -c
      return
    default:
      out[0] = -c
      out[1] = s
  }
}
