import { defineNode } from '../src/engine/define-node'
import { CancelledError, UserError } from '../src/engine/errors'
import { choice, int } from '../src/engine/params'
import { imageProblem, isEightBit, resizeUnitPlane } from '../src/dsp/image-ops'
import { RESAMPLE_FILTERS, type SourceBox } from '../src/dsp/resize'
import type { ImageOrigin } from '../src/engine/values'

type Mode = 'stretch' | 'fit' | 'fill'

/** Output size and source box for a mode: fit keeps the aspect inside the box, fill crops. */
function resizeGeometry(w: number, h: number, width: number, height: number, mode: Mode) {
  if (mode === 'stretch') return { outWidth: width, outHeight: height, box: undefined }
  if (mode === 'fit') {
    const s = Math.min(width / w, height / h)
    return {
      outWidth: Math.max(1, Math.min(width, Math.round(w * s))),
      outHeight: Math.max(1, Math.min(height, Math.round(h * s))),
      box: undefined,
    }
  }
  const s = Math.max(width / w, height / h)
  const cw = width / s
  const ch = height / s
  const box: SourceBox = { x0: (w - cw) / 2, y0: (h - ch) / 2, x1: (w + cw) / 2, y1: (h + ch) / 2 }
  return { outWidth: width, outHeight: height, box }
}

/**
 * The spectrogram framing a resized picture still carries. The origin names the sound the
 * whole picture spans, not its pixels (Normalize already squeezes 1025 bins × N frames into
 * 300 × 400 and keeps it). Griffin-Lim reads it for one thing, the sample rate, and with its
 * automatic FFT size (2·(rows − 1)) the top row is always the Nyquist frequency: so stretching
 * or fitting the whole picture, in time or in frequency, keeps every pitch at the same rate,
 * and cropping columns (time) keeps it too. Cropping rows (fill on a taller picture) cuts off
 * the lowest and highest frequencies: row 0 is no longer 0 Hz, no rate gives the pitches back,
 * and the origin is dropped (Griffin-Lim then falls back to its own default).
 */
function originAfterResize(
  origin: ImageOrigin | undefined,
  height: number,
  box: SourceBox | undefined,
): ImageOrigin | undefined {
  if (!origin || !box) return origin
  const rowsKept = box.y1 - box.y0
  return Math.abs(rowsKept - height) < 1e-9 ? origin : undefined
}

export const resizeImage = defineNode({
  type: 'image/resize',
  version: 1,
  title: 'Resize Image',
  category: 'Image',
  description:
    'Resamples an image to a new size exactly as Pillow does (antialiased when shrinking). 8-bit images are resized in Pillow’s 8-bit arithmetic, others in float.',
  inputs: { image: 'image' },
  outputs: { image: 'image' },
  params: {
    width: int(512, {
      min: 1,
      max: 16384,
      unit: 'px',
      label: 'Width',
      description: 'Width of the result (the largest width in fit mode).',
    }),
    height: int(512, {
      min: 1,
      max: 16384,
      unit: 'px',
      label: 'Height',
      description: 'Height of the result (the largest height in fit mode).',
    }),
    filter: choice('bicubic', RESAMPLE_FILTERS, {
      label: 'Filter',
      optionLabels: {
        bicubic: 'Bicubic (Pillow default)',
        lanczos: 'Lanczos-3',
        box: 'Box (area average)',
      },
      description: 'How new pixels are interpolated; nearest copies pixels without smoothing.',
    }),
    mode: choice('stretch', ['stretch', 'fit', 'fill'], {
      label: 'Mode',
      optionLabels: {
        stretch: 'Stretch to the size',
        fit: 'Fit inside (keep aspect)',
        fill: 'Fill and crop (keep aspect)',
      },
      description:
        'Stretch changes the aspect ratio; fit keeps it and may make one side smaller; fill keeps it and crops the middle.',
    }),
    depth: choice('auto', ['auto', '8-bit', 'float'], {
      label: 'Arithmetic',
      optionLabels: { auto: 'Automatic', '8-bit': '8-bit (as Pillow on PNGs)', float: 'Float' },
      description: 'Automatic uses 8-bit when every pixel is an exact 8-bit level.',
    }),
  },
  runtime: 'cpu',
  estimate: ({ image }, params) => {
    const { outWidth, outHeight } = resizeGeometry(
      image.width,
      image.height,
      params.width,
      params.height,
      params.mode,
    )
    const count = image.channels.length
    const [inPx, outPx] = [image.width * image.height, outWidth * outHeight]
    // Per channel: the float result, an 8-bit result and source, and the plane between the
    // horizontal and vertical passes; then one more copy of all results for the cache.
    const perChannel = 4 * outPx + outPx + inPx + 4 * outWidth * image.height
    return {
      bytes: count * (4 * inPx + perChannel) + count * 4 * outPx,
      detail: `${count} channel${count === 1 ? '' : 's'} of ${outWidth} × ${outHeight} pixels`,
    }
  },
  run: ({ image }, params, ctx) => {
    const problem = imageProblem(image.width, image.height, image.channels)
    if (problem)
      throw new UserError(`Resize Image: the image input ${problem}.`, 'Check the node feeding it.')
    if (!(params.width >= 1 && params.height >= 1))
      throw new UserError(
        `Resize Image: cannot resize to ${params.width}×${params.height} pixels.`,
        'Set a width and height of at least 1 pixel.',
      )
    const { outWidth, outHeight, box } = resizeGeometry(
      image.width,
      image.height,
      params.width,
      params.height,
      params.mode,
    )
    // One choice for the whole image, so its channels stay consistent.
    const depth =
      params.depth !== 'auto' ? params.depth : image.channels.every(isEightBit) ? '8-bit' : 'float'
    const channels = image.channels.map((plane, c) => {
      if (ctx.signal.aborted) throw new CancelledError()
      ctx.progress(c / image.channels.length, 'Resizing')
      return resizeUnitPlane(
        plane,
        image.width,
        image.height,
        outWidth,
        outHeight,
        params.filter,
        depth,
        box,
      )
    })
    ctx.progress(1)
    const origin = originAfterResize(image.origin, image.height, box)
    return {
      image: {
        kind: 'image',
        width: outWidth,
        height: outHeight,
        channels,
        ...(origin && { origin }),
      },
    }
  },
})
