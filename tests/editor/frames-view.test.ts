import { describe, expect, it } from 'vitest'
import type { FramesValue } from '../../src/engine/values'
import {
  frameAt,
  frameRaster,
  isSpectra,
  spectraRaster,
} from '../../src/editor/preview/frames-view'

const spectra: FramesValue = {
  kind: 'frames',
  fps: 10,
  width: 4,
  height: 1,
  // Frame 0 loud in the lowest bin, frame 1 in the highest.
  frames: [[Float32Array.of(1, 0, 0, 0)], [Float32Array.of(0, 0, 0, 1)]],
  binHz: [50, 100, 200, 400],
}

const brightness = (rgba: Uint8ClampedArray, width: number, x: number, y: number) => {
  const o = (y * width + x) * 4
  return rgba[o] + rgba[o + 1] + rgba[o + 2]
}

describe('frame previews', () => {
  it('shows the frame on screen at a time, within the sequence', () => {
    expect(frameAt(spectra, 0)).toBe(0)
    expect(frameAt(spectra, 0.099)).toBe(0)
    expect(frameAt(spectra, 0.1)).toBe(1)
    expect(frameAt(spectra, 5)).toBe(1)
    expect(frameAt(spectra, -1)).toBe(0)
  })

  it('draws spectra as a heat map: time to the right, the lowest bin at the bottom', () => {
    expect(isSpectra(spectra)).toBe(true)
    const raster = spectraRaster(spectra, 2, 4)
    expect(brightness(raster.rgba, 2, 0, 3)).toBeGreaterThan(brightness(raster.rgba, 2, 0, 0))
    expect(brightness(raster.rgba, 2, 1, 0)).toBeGreaterThan(brightness(raster.rgba, 2, 1, 3))
  })

  it('draws one picture frame at a time, downscaled to fit', () => {
    const pictures: FramesValue = {
      kind: 'frames',
      fps: 4,
      width: 8,
      height: 4,
      frames: [[new Float32Array(32).fill(0)], [new Float32Array(32).fill(1)]],
    }
    expect(isSpectra(pictures)).toBe(false)
    const second = frameRaster(pictures, 1, 4, 4)
    expect([second.width, second.height]).toEqual([4, 2])
    expect(Array.from(second.rgba.subarray(0, 4))).toEqual([255, 255, 255, 255])
  })
})
