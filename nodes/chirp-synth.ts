import { defineNode } from '../src/engine/define-node'
import { CancelledError, UserError } from '../src/engine/errors'
import { bool, choice, float, int } from '../src/engine/params'
import { chirpSum, notebookChirpColumns } from '../src/dsp/chirp'
import { columnMeans, imageProblem, isEightBit, resizeUnitPlane } from '../src/dsp/image-ops'
import { normalizePeak } from '../src/dsp/mix'

export const chirpSynth = defineNode({
  type: 'synth/chirp',
  version: 1,
  title: 'Chirp Synth',
  category: 'Image → Audio',
  description:
    'The notebook’s chirp method: each column becomes a chirp over the whole duration, its red mean setting ' +
    'the start frequency and its green mean the loudness; blue is unused. Columns are voices, not time.',
  inputs: { image: 'image' },
  outputs: { audio: 'audio' },
  params: {
    width: int(400, {
      min: 0,
      max: 4096,
      unit: 'px',
      label: 'Columns',
      description: 'Resize to this many columns (voices) first; 0 keeps the image’s.',
    }),
    height: int(300, {
      min: 0,
      max: 4096,
      unit: 'px',
      label: 'Rows',
      description: 'Resize to this many rows first (Pillow bicubic); 0 keeps them.',
    }),
    baseFrequencyHz: float(800, {
      min: 0,
      max: 20000,
      unit: 'Hz',
      curve: 'log',
      label: 'Base frequency',
      description: 'A column of full red starts at this frequency.',
    }),
    frequencyRatio: float(1.5, {
      min: 0,
      max: 16,
      label: 'End ÷ start',
      description: 'Each chirp ends at this multiple of its start frequency (1 = steady tones).',
    }),
    amplitudeOffset: float(0.2, {
      min: -2,
      max: 2,
      label: 'Amplitude offset',
      description: 'Amplitude of a column with no green.',
    }),
    amplitudeScale: float(0.8, {
      min: -2,
      max: 2,
      label: 'Amplitude per green',
      description: 'Added amplitude for full green.',
    }),
    durationSec: float(30, {
      min: 0.01,
      max: 600,
      unit: 's',
      label: 'Duration',
      description: 'Length of the sound; every chirp sweeps over all of it.',
    }),
    sampleRateHz: int(24000, {
      min: 1000,
      max: 96000,
      unit: 'Hz',
      label: 'Sample rate',
      description: 'Samples per second of the result (the notebook: 24000).',
    }),
    timeAxis: choice('notebook-linspace', ['notebook-linspace', 'exact'], {
      label: 'Time axis',
      optionLabels: {
        'notebook-linspace': 'Notebook (linspace, T/(N−1) spacing)',
        exact: 'Exact (1/rate spacing)',
      },
      description: 'The notebook spaces samples T/(N−1) apart, a hair more than 1/rate.',
    }),
    normalize: bool(false, {
      label: 'Normalize',
      description: 'Scale to a peak of 1 (the notebook does not).',
    }),
  },
  runtime: 'cpu',
  cancellation: 'per-step',
  run: ({ image }, params, ctx) => {
    const problem = imageProblem(image.width, image.height, image.channels)
    if (problem)
      throw new UserError(`Chirp Synth: the image input ${problem}.`, 'Check the node feeding it.')
    const width = params.width > 0 ? params.width : image.width
    const height = params.height > 0 ? params.height : image.height
    const eightBit = image.channels.slice(0, 3).every(isEightBit)
    const plane = (c: number) => {
      const source = image.channels[Math.min(c, image.channels.length - 1)]
      if (width === image.width && height === image.height) return source
      return resizeUnitPlane(
        source,
        image.width,
        image.height,
        width,
        height,
        'bicubic',
        eightBit ? '8-bit' : 'float',
      )
    }
    ctx.progress(0, 'Column means')
    const red = columnMeans(plane(0), width, height)
    const green = columnMeans(plane(1), width, height)
    const samples = chirpSum({
      ...notebookChirpColumns(
        red,
        green,
        params.baseFrequencyHz,
        params.amplitudeOffset,
        params.amplitudeScale,
      ),
      frequencyRatio: params.frequencyRatio,
      durationSec: params.durationSec,
      sampleRateHz: params.sampleRateHz,
      timeAxis: params.timeAxis,
      onProgress: (fraction) => {
        if (ctx.signal.aborted) throw new CancelledError()
        ctx.progress(0.05 + 0.95 * fraction, 'Chirps')
      },
    })
    if (params.normalize) normalizePeak([samples], 1)
    return { audio: { kind: 'audio', sampleRate: params.sampleRateHz, channels: [samples] } }
  },
})
