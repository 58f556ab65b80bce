import type { Value } from '../engine/values'

/**
 * A value as one C-order float32 array with its shape, the layout `--dump` and NPY downloads
 * use: images [C,H,W] in 0..1, audio [channels, samples], spectrograms [channels, bins,
 * frames], frame sequences [N,C,H,W] (a soundtrack is not included), latents as they are,
 * numbers [1]. Text has no array form.
 */
export function valueToArray(value: Value): { data: Float32Array; shape: number[] } | undefined {
  switch (value.kind) {
    case 'audio':
      return stack(value.channels, [value.channels.length, value.channels[0]?.length ?? 0])
    case 'image':
      return stack(value.channels, [value.channels.length, value.height, value.width])
    case 'spectrogram':
      return stack(value.channels, [value.channels.length, value.bins, value.frames])
    case 'frames':
      return stack(value.frames.flat(), [
        value.frames.length,
        value.frames[0]?.length ?? 0,
        value.height,
        value.width,
      ])
    case 'latent':
      return { data: value.data, shape: value.shape }
    case 'number':
      return { data: Float32Array.of(value.value), shape: [1] }
    case 'text':
      return undefined
  }
}

function stack(planes: Float32Array[], shape: number[]): { data: Float32Array; shape: number[] } {
  if (planes.length === 1) return { data: planes[0], shape }
  const size = planes[0]?.length ?? 0
  const data = new Float32Array(planes.length * size)
  planes.forEach((plane, i) => data.set(plane, i * size))
  return { data, shape }
}
