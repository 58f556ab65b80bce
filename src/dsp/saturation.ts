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

/**
 * GIMP's Saturation tool (Colors ▸ Saturation, the GEGL operation gegl:saturation with its
 * default "Native" colour space), then laid over the picture at an opacity as GIMP's filter
 * dialog does. GEGL works in linear light ("RGBA float"), so per pixel:
 *
 *   c  = sRGB⁻¹(v)                               (IEC 61966-2-1 decoding of each channel)
 *   Y  = 0.2225045 R + 0.7168786 G + 0.0606169 B (luminance of babl's sRGB, D50-adapted)
 *   s' = Y · (1 − scale) + c · scale             (gegl saturation.c, process_rgb_alpha)
 *   o  = c + opacity · (s' − c)                  (the filter over the original, linear light)
 *   v' = sRGB(clamp(o, 0, 1))
 *
 * The sound-pictures essay's "saturation 1" is one pass at scale 10, opacity 50 %; its
 * "saturation 1.5" a second pass at scale 5 on the result. GIMP working at 8 bits also
 * rounds each pass to 8 bits; this keeps floats (a difference below one level per pass).
 */
export function gimpSaturate(
  channels: readonly Float32Array[],
  scales: readonly number[],
  opacity: number,
): Float32Array[] {
  const out = channels.map((c) => c.slice())
  if (channels.length < 3) return out
  const [r, g, b] = out
  const alpha = Math.min(1, Math.max(0, opacity))
  for (const scale of scales) {
    for (let i = 0; i < r.length; i++) {
      const lr = toLinear(r[i])
      const lg = toLinear(g[i])
      const lb = toLinear(b[i])
      const y = 0.2225045 * lr + 0.7168786 * lg + 0.0606169 * lb
      const grey = y * (1 - scale)
      r[i] = toSrgb(lr + alpha * (grey + lr * scale - lr))
      g[i] = toSrgb(lg + alpha * (grey + lg * scale - lg))
      b[i] = toSrgb(lb + alpha * (grey + lb * scale - lb))
    }
  }
  return out
}

/** IEC 61966-2-1 sRGB decoding, 0..1 → linear light. */
function toLinear(v: number): number {
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
}

/** IEC 61966-2-1 sRGB encoding of linear light, clamped to 0..1 first. */
function toSrgb(v: number): number {
  const c = v <= 0 ? 0 : v >= 1 ? 1 : v
  return c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055
}
