/**
 * The params the Riffusion encode and decode nodes share (not a node: nodes/index.ts does not
 * list it). Defaults are Riffusion's SpectrogramParams (src/dsp/riffusion.ts).
 */
import { choice, float, int } from '../src/engine/params'
import type { RiffusionFraming } from '../src/dsp/riffusion'
import { RIFFUSION_FRAMING, RIFFUSION_POWER } from '../src/dsp/riffusion'

export const riffusionFramingParams = {
  sampleRateHz: int(RIFFUSION_FRAMING.sampleRate, {
    min: 8000,
    max: 192000,
    unit: 'Hz',
    label: 'Sample rate',
    description:
      'Riffusion’s 44.1 kHz. Sound at another rate is resampled to it first; decoded sound comes out at it.',
  }),
  hopSize: int(RIFFUSION_FRAMING.hopSize, {
    min: 1,
    max: 32768,
    unit: 'samples',
    label: 'Hop (one column)',
    description: 'Samples per picture column: 441 is 10 ms at 44.1 kHz, so 512 columns are 5.12 s.',
  }),
  windowLength: int(RIFFUSION_FRAMING.windowLength, {
    min: 16,
    max: 65536,
    unit: 'samples',
    label: 'Window',
    description: 'Hann window length (100 ms), centred in the FFT frame.',
  }),
  fftSize: int(RIFFUSION_FRAMING.fftSize, {
    min: 16,
    max: 65536,
    unit: 'samples',
    label: 'FFT size',
    description:
      'Riffusion’s 17640 (the window zero-padded to 400 ms). 17280 sounds the same and decodes about 3× faster (its FFT is a fast size).',
  }),
  fMinHz: float(RIFFUSION_FRAMING.fMinHz, {
    min: 0,
    max: 96000,
    unit: 'Hz',
    label: 'Lowest frequency',
    description: 'Bottom edge of the mel scale (Riffusion: 0 Hz).',
  }),
  fMaxHz: float(RIFFUSION_FRAMING.fMaxHz, {
    min: 1,
    max: 96000,
    unit: 'Hz',
    curve: 'log',
    label: 'Highest frequency',
    description: 'Top edge of the mel scale (Riffusion: 10 kHz; nothing above it is kept).',
  }),
  melScale: choice(RIFFUSION_FRAMING.melScale, ['htk', 'slaney'], {
    label: 'Mel scale',
    optionLabels: { htk: 'HTK (Riffusion)', slaney: 'Slaney (librosa)' },
    description: 'HTK: 2595·log10(1 + f/700). Slaney: linear below 1 kHz, logarithmic above.',
  }),
  melNorm: choice(RIFFUSION_FRAMING.melNorm, ['none', 'slaney'], {
    label: 'Filter norm',
    optionLabels: { none: 'None (Riffusion)', slaney: 'Equal area (Slaney)' },
    description: 'Whether each mel triangle is scaled to unit area.',
  }),
  power: float(RIFFUSION_POWER, {
    min: 0.01,
    max: 4,
    step: 0.01,
    label: 'Brightness curve',
    description:
      'Pixel = 1 − (level / loudest)^curve: Riffusion’s 0.25 keeps quiet detail visible. Encode and decode must agree.',
  }),
} as const

interface FramingValues {
  sampleRateHz: number
  hopSize: number
  windowLength: number
  fftSize: number
  fMinHz: number
  fMaxHz: number
  melScale: 'htk' | 'slaney'
  melNorm: 'none' | 'slaney'
}

/** The DSP framing from the node params; `melBins` from the caller. */
export function framingFrom(params: FramingValues, melBins: number): RiffusionFraming {
  return {
    sampleRate: params.sampleRateHz,
    fftSize: params.fftSize,
    hopSize: params.hopSize,
    windowLength: Math.min(params.windowLength, params.fftSize),
    melBins,
    fMinHz: params.fMinHz,
    fMaxHz: params.fMaxHz,
    melScale: params.melScale,
    melNorm: params.melNorm,
  }
}

/** What is wrong with the framing, in words for the node's error, or undefined. */
export function framingProblem(params: FramingValues): string | undefined {
  if (params.fMaxHz <= params.fMinHz)
    return `the highest frequency (${params.fMaxHz} Hz) is not above the lowest (${params.fMinHz} Hz)`
  if (params.fMinHz >= params.sampleRateHz / 2)
    return `the lowest frequency (${params.fMinHz} Hz) is above half the sample rate`
  if (params.hopSize > params.fftSize)
    return `the hop (${params.hopSize}) is longer than the FFT size (${params.fftSize})`
  return undefined
}
