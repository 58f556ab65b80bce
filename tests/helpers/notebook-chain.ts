import type { SpectrogramImageOptions } from '../../src/dsp/spectrogram-image'
import type { StftOptions } from '../../src/dsp/stft'

/**
 * The Visual Sampling notebook's chain (notebook-chain.md items 1–4) as our options, one copy
 * for the tests that reproduce its fixtures and the bench that times it: a power STFT 512/256
 * with a periodic Hann window, centred with reflect padding (torch.stft's defaults as the
 * notebook called it), then 10·log10(p + 1e−9), min-max, a uint8 cast, DC at the top, and
 * Pillow's bicubic to 400 × 300 as RGB.
 */
export const NOTEBOOK_STFT: StftOptions = {
  fftSize: 512,
  hopSize: 256,
  window: 'hann',
  center: true,
  padMode: 'reflect',
}

export const NOTEBOOK_IMAGE: SpectrogramImageOptions = {
  scale: 'power',
  floorDb: -90,
  range: 'min-max',
  topDb: 0,
  bottomDb: -90,
  quantize: 'truncate',
  orientation: 'low-at-top',
  width: 400,
  height: 300,
  channels: 3,
}
