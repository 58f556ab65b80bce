import { useMemo } from 'react'
import { rgbaPngStored } from '../../media/png'
import type { Raster } from './thumbs'

/**
 * Node previews are <img> elements, not canvases: Chromium makes every 2D canvas a compositor
 * layer of its own (and each thing drawn over one another layer), so a graph of a hundred
 * previews composited hundreds of layers on every pan frame; an image is painted into its
 * node like text. Each picture becomes an uncompressed PNG (exact, about a millisecond) in a
 * data URL, made in the same render as its value, so it arrives with the value.
 */

/** A context to draw a picture into (what the preview's drawing code needs of one). */
export type PictureContext = OffscreenCanvasRenderingContext2D

/**
 * A data URL, not an object URL: Chromium loads a data URL image at once, in the same task,
 * so the picture is on screen in the frame its value arrives (an object URL is fetched, and
 * the frame shows empty meanwhile), and there is nothing to release.
 */
function pngUrl(width: number, height: number, rgba: Uint8ClampedArray): string {
  const png = rgbaPngStored(width, height, rgba)
  let binary = ''
  for (let i = 0; i < png.length; i += 8192)
    binary += String.fromCharCode(...png.subarray(i, i + 8192))
  return `data:image/png;base64,${btoa(binary)}`
}

/** A picture of `width` × `height` pixels drawn by `draw` (in memory, never on the page). */
export function drawnPicture(
  width: number,
  height: number,
  draw: (context: PictureContext) => void,
): string {
  const canvas = new OffscreenCanvas(width, height)
  const context = canvas.getContext('2d', { willReadFrequently: true })
  if (!context) throw new Error('No 2D drawing context for a preview')
  draw(context)
  return pngUrl(width, height, context.getImageData(0, 0, width, height).data)
}

export const rasterPicture = (raster: Raster): string =>
  pngUrl(raster.width, raster.height, raster.rgba)

/** The picture `make` draws from `source`, as a URL, made once per `source`. */
export function usePictureUrl<T extends object>(
  source: T | undefined,
  make: (source: T) => string,
): string | undefined {
  // `make` is a way of drawing, fixed per call site; the picture follows `source`.
  return useMemo(() => (source ? make(source) : undefined), [source])
}

/** A transparent pixel: the frame of a picture still being made (its size set by width/height). */
const EMPTY = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'

/**
 * A picture `width` × `height` pixels in size (CSS decides how large it looks) from `url`; an
 * empty frame of that size while there is none.
 */
export function PictureImg(props: {
  url: string | undefined
  width: number
  height: number
  className?: string
}) {
  const { url, width, height, className } = props
  return (
    <img
      src={url ?? EMPTY}
      width={width}
      height={height}
      className={className}
      alt=""
      draggable={false}
    />
  )
}

/** A raster as a picture of its own size; without one yet, an empty frame of `placeholder` size. */
export function RasterImage(props: {
  raster: Raster | undefined
  placeholder?: [width: number, height: number]
  className?: string
}) {
  const { raster, placeholder, className } = props
  const url = usePictureUrl(raster, rasterPicture)
  const [width, height] = raster ? [raster.width, raster.height] : (placeholder ?? [0, 0])
  return <PictureImg url={url} width={width} height={height} className={className} />
}
