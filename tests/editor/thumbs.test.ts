import { describe, expect, it } from 'vitest'
import type { ImageValue, SpectrogramValue } from '../../src/engine/values'
import { niceTicks } from '../../src/editor/preview/axes'
import { imageRaster, spectrogramRaster, waveformPeaks } from '../../src/editor/preview/thumbs'

function spectrogram(
  bins: number,
  frames: number,
  loud: (bin: number) => boolean,
): SpectrogramValue {
  const data = new Float32Array(bins * frames)
  for (let b = 0; b < bins; b++)
    for (let f = 0; f < frames; f++) data[b * frames + f] = loud(b) ? 1 : 1e-9
  return {
    kind: 'spectrogram',
    sampleRate: 8000,
    fftSize: (bins - 1) * 2,
    hopSize: 64,
    window: 'hann',
    center: true,
    scale: 'magnitude',
    bins,
    frames,
    channels: [data],
  }
}

const brightness = (rgba: Uint8ClampedArray, width: number, x: number, y: number) => {
  const o = (y * width + x) * 4
  return rgba[o] + rgba[o + 1] + rgba[o + 2]
}

describe('thumbnails', () => {
  it('draws bin 0 of a spectrogram at the bottom', () => {
    const raster = spectrogramRaster(
      spectrogram(64, 32, (b) => b < 8),
      16,
      16,
    )
    expect(brightness(raster.rgba, 16, 4, 15)).toBeGreaterThan(brightness(raster.rgba, 16, 4, 0))
  })

  it('keeps row 0 of an image at the top while downscaling', () => {
    const width = 40
    const height = 40
    const grey = new Float32Array(width * height)
    grey.fill(1, 0, width * 4) // the first rows are white
    const image: ImageValue = { kind: 'image', width, height, channels: [grey] }
    const raster = imageRaster(image, 10, 10)
    expect([raster.width, raster.height]).toEqual([10, 10])
    expect(raster.rgba[0]).toBe(255)
    expect(raster.rgba[9 * 10 * 4]).toBe(0)
  })

  it('finds the extremes of every slice of a waveform', () => {
    const samples = new Float32Array(1000)
    samples[10] = 0.9
    samples[990] = -0.7
    const peaks = waveformPeaks({ kind: 'audio', sampleRate: 1000, channels: [samples] }, 10)
    expect(peaks.max[0]).toBeCloseTo(0.9)
    expect(peaks.min[9]).toBeCloseTo(-0.7)
    expect(peaks.max[5]).toBe(0)
  })

  it('picks round axis ticks', () => {
    expect(niceTicks(0, 6, 6)).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect(niceTicks(0, 22050, 5)).toEqual([0, 5000, 10000, 15000, 20000])
  })
})
