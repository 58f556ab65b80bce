import { useEffect, useRef } from 'react'
import type { Raster } from './thumbs'

/**
 * Paints a raster into a canvas of its own size; CSS decides how large it looks. Without a
 * raster yet (a preview still being made), an empty canvas of `placeholder` size holds its place.
 */
export function RasterCanvas({
  raster,
  placeholder,
  className,
}: {
  raster: Raster | undefined
  placeholder?: [width: number, height: number]
  className?: string
}) {
  const ref = useRef<HTMLCanvasElement>(null)
  const [emptyWidth, emptyHeight] = placeholder ?? [0, 0]
  useEffect(() => {
    const canvas = ref.current
    const context = canvas?.getContext('2d')
    if (!canvas || !context) return
    if (!raster) {
      if (emptyWidth > 0) [canvas.width, canvas.height] = [emptyWidth, emptyHeight]
      return
    }
    canvas.width = raster.width
    canvas.height = raster.height
    context.putImageData(new ImageData(raster.rgba, raster.width, raster.height), 0, 0)
  }, [raster, emptyWidth, emptyHeight])
  return <canvas ref={ref} className={className} />
}
