/**
 * Colour saturation boost, as the sound-pictures essay applies it to its paintings (whose
 * colours become stereo when read as sound). One pass, on R, G, B in 0..1:
 *
 *   L  = 0.299 R + 0.587 G + 0.114 B                 (ITU-R BT.601 luma, Pillow's grey)
 *   y  = clamp(L + k · (c − L), 0, 1),  k = 1 + amount  (Pillow ImageEnhance.Color(k): the image
 *                                                      blended away from its grey version)
 *   c' = (1 − opacity) · c + opacity · y              (the boosted layer over the original)
 *
 * and `passes` passes, each on the previous result (the essay's second pass pushes weak colours
 * further than one stronger pass would, since clamping has bitten the strong ones already).
 * A grey pixel (R = G = B) is left as it is; amount 0 or opacity 0 changes nothing.
 */

export interface SaturationOptions {
  amount: number
  opacity: number
  passes: number
}

/** Boosts the first three planes; other planes (alpha) are copied. Fewer than 3: copies. */
export function saturate(
  channels: readonly Float32Array[],
  options: SaturationOptions,
): Float32Array[] {
  const out = channels.map((c) => c.slice())
  if (channels.length < 3) return out
  const [r, g, b] = out
  const k = 1 + options.amount
  const alpha = Math.min(1, Math.max(0, options.opacity))
  const clamp = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v)
  for (let pass = 0; pass < options.passes; pass++) {
    for (let i = 0; i < r.length; i++) {
      const luma = 0.299 * r[i] + 0.587 * g[i] + 0.114 * b[i]
      r[i] = (1 - alpha) * r[i] + alpha * clamp(luma + k * (r[i] - luma))
      g[i] = (1 - alpha) * g[i] + alpha * clamp(luma + k * (g[i] - luma))
      b[i] = (1 - alpha) * b[i] + alpha * clamp(luma + k * (b[i] - luma))
    }
  }
  return out
}
