/**
 * Picture adjustments on planar 0..1 channels with Pillow's semantics (pillow-ops.ts): each
 * plane is taken to 8-bit levels (round(v·255)), adjusted as Pillow adjusts an 'L' or 'RGB'
 * image, and returned as k / 255. Alpha (the 2nd of 2 channels, the 4th of 4) is kept as it
 * is, except by the blur, which blurs it with the colours as Pillow does for 'LA' and 'RGBA'.
 */
import { fromUint8, toUint8 } from './image-ops'
import {
  applyLut,
  autocontrastLut,
  blendU8,
  equalizeLut,
  gaussianBlurU8,
  INVERT_LUT,
  lumaU8,
} from './pillow-ops'

export type AdjustOperation = 'blur' | 'desaturate' | 'autocontrast' | 'invert' | 'equalize'

export const ADJUST_OPERATIONS: readonly AdjustOperation[] = [
  'blur',
  'desaturate',
  'autocontrast',
  'invert',
  'equalize',
]

export interface AdjustOptions {
  /** Gaussian blur: the standard deviation in pixels (ImageFilter.GaussianBlur's radius). */
  radius: number
  /** Desaturate: 0 keeps the colours, 1 is grey (ImageEnhance.Color with factor 1 − amount). */
  amount: number
  /** Autocontrast: percent of the darkest and of the lightest pixels ignored. */
  cutoffPercent: number
}

/** Which channels hold colour (the others are alpha): 1 of 1 or 2, 3 of 3 or 4. */
function colourCount(channels: number): number {
  return channels >= 3 ? 3 : 1
}

export function adjustPlanes(
  channels: readonly Float32Array[],
  width: number,
  height: number,
  operation: AdjustOperation,
  options: AdjustOptions,
): Float32Array[] {
  const levels = channels.map((plane) => toUint8(plane))
  const colours = colourCount(channels.length)
  const each = (fn: (plane: Uint8Array) => Uint8Array) =>
    levels.map((plane, c) => (c < colours ? fn(plane) : plane))
  let out: Uint8Array[]
  switch (operation) {
    case 'blur':
      out = levels.map((plane) => gaussianBlurU8(plane, width, height, options.radius))
      break
    case 'desaturate': {
      if (colours < 3) {
        out = levels
        break
      }
      const grey = lumaU8(levels[0], levels[1], levels[2])
      const factor = 1 - options.amount
      out = each((plane) => blendU8(grey, plane, factor))
      break
    }
    case 'autocontrast':
      out = each((plane) => applyLut(plane, autocontrastLut(plane, options.cutoffPercent)))
      break
    case 'invert':
      out = each((plane) => applyLut(plane, INVERT_LUT))
      break
    case 'equalize':
      out = each((plane) => applyLut(plane, equalizeLut(plane)))
      break
  }
  return out.map(fromUint8)
}
