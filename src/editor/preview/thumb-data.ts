import type { AudioValue, ImageValue, LatentValue, SpectrogramValue } from '../../engine/values'
import {
  imageRaster,
  latentTiles,
  peakOf,
  spectrogramRaster,
  waveformPeaks,
  type Peaks,
  type Raster,
} from './thumbs'

/** The node previews' sizes in canvas pixels (CSS scales them to the node's width). */
export const THUMB_WIDTH = 232
export const SPECTROGRAM_THUMB_HEIGHT = 96
export const IMAGE_THUMB_MAX_HEIGHT = 160
export const LATENT_TILE_SIZE = 56

/** Values whose previews are pictures made from all their data. */
export type ThumbValue = AudioValue | SpectrogramValue | ImageValue | LatentValue

/**
 * What a node preview draws, made from the whole value but a few kilobytes in size: this is
 * all the page needs to keep a thumbnail, and it can be made in a worker (thumbs.worker.ts).
 */
export type ThumbData =
  | { kind: 'audio'; peaks: Peaks; /** the largest absolute sample */ peak: number }
  | { kind: 'spectrogram'; raster: Raster }
  | { kind: 'image'; raster: Raster }
  | { kind: 'latent'; tiles: Raster[] }

export type ThumbDataOf<V extends ThumbValue> = Extract<ThumbData, { kind: V['kind'] }>

export function isThumbValue(value: { kind: string }): value is ThumbValue {
  return ['audio', 'spectrogram', 'image', 'latent'].includes(value.kind)
}

export function thumbDataOf<V extends ThumbValue>(value: V): ThumbDataOf<V>
export function thumbDataOf(value: ThumbValue): ThumbData {
  switch (value.kind) {
    case 'audio': {
      const peaks = waveformPeaks(value, THUMB_WIDTH)
      return { kind: 'audio', peaks, peak: peakOf(peaks) }
    }
    case 'spectrogram':
      return {
        kind: 'spectrogram',
        raster: spectrogramRaster(value, THUMB_WIDTH, SPECTROGRAM_THUMB_HEIGHT),
      }
    case 'image':
      return { kind: 'image', raster: imageRaster(value, THUMB_WIDTH, IMAGE_THUMB_MAX_HEIGHT) }
    case 'latent':
      return { kind: 'latent', tiles: latentTiles(value, LATENT_TILE_SIZE) }
  }
}

/** The buffers to transfer with a preview (each owns its buffer). */
export function thumbTransferList(data: ThumbData): ArrayBuffer[] {
  switch (data.kind) {
    case 'audio':
      return [data.peaks.min.buffer, data.peaks.max.buffer] as ArrayBuffer[]
    case 'spectrogram':
    case 'image':
      return [data.raster.rgba.buffer]
    case 'latent':
      return data.tiles.map((tile) => tile.rgba.buffer)
  }
}
