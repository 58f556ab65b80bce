/**
 * The Riffusion spectrogram format (riffusion/spectrogram_params.py, spectrogram_converter.py
 * and util/image_util.py of the riffusion repository), as pure functions.
 *
 * Framing: 44.1 kHz; STFT with n_fft 17640 (400 ms), a 4410-sample (100 ms) periodic Hann window
 * centred in it, hop 441 (10 ms), centred with reflect padding: one column per 10 ms, so a
 * 512-wide picture is 5.11 s (511 hops). Magnitude |X| (not power), then a mel filterbank of 512
 * bins from 0 to 10 kHz, HTK scale, no norm (torchaudio MelScale). Picture, per value S of the
 * mel spectrogram, with max the largest value over all channels (image_from_spectrogram):
 *
 *   pixel = ⌊255 − 255 · (S / max)^0.25⌋   (uint8 cast: truncation; loud is dark, silence white)
 *
 * and rows flipped so low frequencies are at the bottom. Mono is grey in R, G and B; stereo puts
 * the left channel in green, the right in blue and 0 (black) in red. The way back
 * (spectrogram_from_image): S = max · (1 − pixel/255)^(1/0.25) with max = 30e6, a constant that
 * only scales (Riffusion peak-normalises the sound afterwards, as we do); mel inversion
 * (mel-inverse.ts), Griffin-Lim with 32 iterations and momentum 0.99 from torchaudio's random
 * start (real and imaginary parts uniform in [0, 1)).
 */
import { applyMel, melFilterbank, type MelFilterbank, type MelNorm, type MelScale } from './mel'
import { stft } from './stft'

export interface RiffusionFraming {
  sampleRate: number
  fftSize: number
  hopSize: number
  windowLength: number
  melBins: number
  fMinHz: number
  fMaxHz: number
  melScale: MelScale
  melNorm: MelNorm
}

/** Riffusion's SpectrogramParams as the riffusion-model-v1 pictures were made. */
export const RIFFUSION_FRAMING: Readonly<RiffusionFraming> = {
  sampleRate: 44100,
  fftSize: 17640,
  hopSize: 441,
  windowLength: 4410,
  melBins: 512,
  fMinHz: 0,
  fMaxHz: 10000,
  melScale: 'htk',
  melNorm: 'none',
}

/** Riffusion's power_for_image and the max_value its decoder assumes. */
export const RIFFUSION_POWER = 0.25
export const RIFFUSION_MAX_VALUE = 30e6

export function riffusionFilterbank(framing: RiffusionFraming): MelFilterbank {
  return melFilterbank({
    sampleRate: framing.sampleRate,
    fftSize: framing.fftSize,
    melBins: framing.melBins,
    fMinHz: framing.fMinHz,
    fMaxHz: Math.min(framing.fMaxHz, framing.sampleRate / 2),
    scale: framing.melScale,
    norm: framing.melNorm,
  })
}

/** Mel amplitudes (bin-major `melBins × frames`) of one channel, as SpectrogramConverter. */
export function riffusionMel(
  signal: Float32Array,
  framing: RiffusionFraming,
): { mel: Float32Array; frames: number } {
  const spec = stft(signal, {
    fftSize: framing.fftSize,
    hopSize: framing.hopSize,
    window: 'hann',
    windowLength: framing.windowLength,
    center: true,
    padMode: 'reflect',
    power: 1,
  })
  return {
    mel: applyMel(riffusionFilterbank(framing), spec.values, spec.frames),
    frames: spec.frames,
  }
}

export type Quantize = 'truncate' | 'round' | 'none'

/**
 * Mel amplitudes to a picture plane in 0..1 (row 0 = top = highest mel bin):
 * 1 − (S/max)^power, quantised to 8 bits as Riffusion's uint8 cast (or rounded, or not).
 * max ≤ 0 (silence) gives white, never NaN.
 */
export function melToPlane(
  mel: Float32Array,
  melBins: number,
  frames: number,
  max: number,
  power: number,
  quantize: Quantize,
): Float32Array {
  const plane = new Float32Array(melBins * frames)
  for (let m = 0; m < melBins; m++) {
    const row = (melBins - 1 - m) * frames
    for (let t = 0; t < frames; t++) {
      const v = max > 0 ? Math.max(0, mel[m * frames + t]) / max : 0
      const level = 255 - 255 * Math.pow(Math.min(1, v), power)
      const q =
        quantize === 'truncate'
          ? Math.floor(level)
          : quantize === 'round'
            ? Math.round(level)
            : level
      plane[row + t] = q / 255
    }
  }
  return plane
}

/** A picture plane (row 0 = top) back to mel amplitudes: max · (1 − c)^(1/power), bin 0 = bottom row. */
export function planeToMel(
  plane: Float32Array,
  width: number,
  height: number,
  max: number,
  power: number,
): Float32Array {
  const mel = new Float32Array(width * height)
  for (let m = 0; m < height; m++) {
    const row = (height - 1 - m) * width
    for (let t = 0; t < width; t++) {
      const c = Math.min(1, Math.max(0, plane[row + t]))
      mel[m * width + t] = max * Math.pow(1 - c, 1 / power)
    }
  }
  return mel
}

/** How sound channels are laid out in the picture's colours when encoding. */
export type RiffusionLayout = 'mono' | 'riffusion-stereo' | 'red-cyan'

/** The picture's channels (R, G, B) from per-sound-channel planes. */
export function layoutPlanes(
  planes: readonly Float32Array[],
  layout: RiffusionLayout,
): Float32Array[] {
  const left = planes[0]
  const right = planes[1] ?? planes[0]
  switch (layout) {
    case 'mono':
      return [left, left.slice(), left.slice()]
    case 'riffusion-stereo':
      return [new Float32Array(left.length), left, right]
    case 'red-cyan':
      return [left, right, right.slice()]
  }
}

/** Which colours become which sound channels when decoding. */
export type ColourReading =
  'red' | 'grey' | 'riffusion-stereo' | 'red-green' | 'red-blue' | 'red-cyan' | 'rgb'

/** The planes to read, one per sound channel; a grey picture gives its one plane. */
export function readPlanes(
  channels: readonly Float32Array[],
  reading: ColourReading,
): Float32Array[] {
  const [r, g, b] = channels.length >= 3 ? channels : [channels[0], channels[0], channels[0]]
  const mean = (...ps: Float32Array[]) =>
    Float32Array.from(ps[0], (_, i) => ps.reduce((s, p) => s + p[i], 0) / ps.length)
  switch (reading) {
    case 'red':
      return [r]
    case 'grey':
      return [mean(r, g, b)]
    case 'riffusion-stereo':
      return [g, b]
    case 'red-green':
      return [r, g]
    case 'red-blue':
      return [r, b]
    case 'red-cyan':
      return [r, mean(g, b)]
    case 'rgb':
      return [r, g, b]
  }
}
