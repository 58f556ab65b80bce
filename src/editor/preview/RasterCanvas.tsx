import { useEffect, useRef } from 'react'
import type { Raster } from './thumbs'

/** Paints a raster into a canvas of its own size; CSS decides how large it looks. */
export function RasterCanvas({ raster, className }: { raster: Raster; className?: string }) {
  const ref = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    const canvas = ref.current
    const context = canvas?.getContext('2d')
    if (!canvas || !context) return
    canvas.width = raster.width
    canvas.height = raster.height
    context.putImageData(new ImageData(raster.rgba, raster.width, raster.height), 0, 0)
  }, [raster])
  return <canvas ref={ref} className={className} />
}
