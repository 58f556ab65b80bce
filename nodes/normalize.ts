import { defineNode } from '../src/engine/define-node'
import { UserError } from '../src/engine/errors'
import { choice, float, int } from '../src/engine/params'
import type { ImageValue } from '../src/engine/values'
import { firstNonFinite } from '../src/dsp/image-ops'
import { RESAMPLE_FILTERS } from '../src/dsp/resize'
import {
  meanPower,
  spectrogramToImage,
  type SpectrogramLevelScale,
} from '../src/dsp/spectrogram-image'

export const normalize = defineNode({
  type: 'dsp/normalize',
  version: 1,
  title: 'Normalize',
  category: 'Audio → Image',
  description:
    'Turns a spectrogram into a picture: level in dB above a floor, scaled to the loudest and quietest ' +
    'parts (as the notebook) or to a fixed dB range, quantised to 8 bits and resized with Pillow’s ' +
    'bicubic. Several channels are combined as mean power.',
  inputs: { spectrogram: 'spectrogram' },
  outputs: { image: 'image' },
  params: {
    floorDb: float(-90, {
      min: -200,
      max: 0,
      unit: 'dB',
      label: 'Floor',
      description:
        'Added before the logarithm so silence has a level: −90 dB is the notebook’s 1e−9 on power.',
    }),
    range: choice('min-max', ['min-max', 'fixed'], {
      label: 'Range',
      optionLabels: { 'min-max': 'Quietest to loudest (notebook)', fixed: 'Fixed dB range' },
      description:
        'Quietest to loudest stretches each spectrogram to full contrast (its absolute level is lost); a fixed range keeps levels comparable between sounds.',
    }),
    topDb: float(0, {
      min: -200,
      max: 200,
      unit: 'dB',
      label: 'White at',
      description: 'For the fixed range: this level and above are white.',
    }),
    bottomDb: float(-90, {
      min: -200,
      max: 200,
      unit: 'dB',
      label: 'Black at',
      description: 'For the fixed range: this level and below are black.',
    }),
    quantize: choice('round', ['truncate', 'round', 'none'], {
      label: '8-bit levels',
      optionLabels: { truncate: 'Truncate (notebook)', round: 'Round', none: 'None (float)' },
      description:
        'The notebook’s uint8 cast truncates, so about half the pixels are one level darker; rounding does not; none keeps full precision.',
    }),
    orientation: choice('low-at-bottom', ['low-at-bottom', 'low-at-top'], {
      label: 'Low frequencies',
      optionLabels: { 'low-at-bottom': 'At the bottom', 'low-at-top': 'At the top (notebook)' },
      description:
        'Where the lowest frequencies go. Audio editors put them at the bottom; the notebook’s row 0 is DC, at the top.',
    }),
    width: int(400, {
      min: 0,
      max: 8192,
      unit: 'px',
      label: 'Width',
      description: '0 keeps one column per frame.',
    }),
    height: int(300, {
      min: 0,
      max: 8192,
      unit: 'px',
      label: 'Height',
      description: '0 keeps one row per frequency bin.',
    }),
    filter: choice('bicubic', RESAMPLE_FILTERS, {
      label: 'Resize filter',
      description: 'Pillow’s filters; bicubic is the notebook’s.',
    }),
    channels: choice('3', ['1', '3'], {
      label: 'Channels',
      optionLabels: { '1': 'Grey (1)', '3': 'RGB (3, grey copied)' },
      description: 'A grey image, or the grey copied to red, green and blue as the notebook does.',
    }),
  },
  runtime: 'cpu',
  cancellation: 'none',
  run: ({ spectrogram }, params) => {
    const { bins, frames, channels } = spectrogram
    if (!(bins > 0 && frames > 0) || channels.length === 0)
      throw new UserError(
        `Normalize: the spectrogram input is empty (${bins} bins × ${frames} frames).`,
        'Feed it a longer sound: the STFT needs more samples than its FFT size.',
      )
    for (const [c, matrix] of channels.entries()) {
      const bad = firstNonFinite(matrix)
      if (bad >= 0)
        throw new UserError(
          `Normalize: the spectrogram input has ${matrix[bad]} at bin ${Math.floor(bad / frames)}, frame ${bad % frames} (channel ${c + 1}).`,
          'Check the node that made it; a NaN usually comes from dividing silence by itself.',
        )
    }
    if (params.range === 'fixed' && !(params.topDb > params.bottomDb))
      throw new UserError(
        `Normalize: "White at" (${params.topDb} dB) must be above "Black at" (${params.bottomDb} dB).`,
        'Raise White at or lower Black at.',
      )
    // Mel spectrograms hold mel-band power.
    const scale: SpectrogramLevelScale = spectrogram.scale === 'mel' ? 'power' : spectrogram.scale
    const combined = channels.length > 1 ? meanPower(channels, scale) : channels[0]
    const picture = spectrogramToImage(combined, bins, frames, {
      ...params,
      scale: channels.length > 1 ? 'power' : scale,
      channels: params.channels === '1' ? 1 : 3,
    })
    const { sampleRate, fftSize, hopSize } = spectrogram
    const image: ImageValue = {
      kind: 'image',
      ...picture,
      origin: { sampleRate, fftSize, hopSize },
    }
    return { image }
  },
})
