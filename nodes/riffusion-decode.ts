import { realFftOps, secondsFor } from '../src/engine/capacity'
import { defineNode } from '../src/engine/define-node'
import { CancelledError, UserError } from '../src/engine/errors'
import { bool, choice, float, int, seed } from '../src/engine/params'
import { mulberry32 } from '../src/engine/random'
import type { AudioValue } from '../src/engine/values'
import { initFastFft } from '../src/dsp/fft'
import { imageProblem } from '../src/dsp/image-ops'
import { normalizePeak } from '../src/dsp/mix'
import { RIFFUSION_MAX_VALUE, readPlanes } from '../src/dsp/riffusion'
import { riffusionDecode as decodePlane } from '../src/dsp/riffusion-decode'
import { framingFrom, framingProblem, riffusionFramingParams } from './riffusion-framing'

/** −0.1 dBFS, Riffusion's output peak. */
const PEAK = 10 ** (-0.1 / 20)

export const riffusionDecode = defineNode({
  type: 'spectrogram/riffusion-decode',
  version: 1,
  title: 'Riffusion Decode',
  category: 'Image → Audio',
  description:
    'Hears a Riffusion spectrogram picture: dark is loud, 10 ms per column, 512 mel rows up to 10 kHz; mel inversion then Griffin-Lim (32 iterations, momentum 0.99) as Riffusion does. Colours can become stereo, and wide pictures are read in overlapping chunks spliced where they agree.',
  inputs: { image: 'image' },
  outputs: { audio: 'audio' },
  params: {
    reading: choice(
      'red',
      ['red', 'grey', 'riffusion-stereo', 'red-green', 'red-blue', 'red-cyan', 'rgb'],
      {
        label: 'Colours → channels',
        optionLabels: {
          red: 'Mono from red (Riffusion)',
          grey: 'Mono from the grey level',
          'riffusion-stereo': 'Stereo: green left, blue right (Riffusion)',
          'red-green': 'Stereo: red left, green right',
          'red-blue': 'Stereo: red left, blue right',
          'red-cyan': 'Stereo: red left, green + blue right',
          rgb: 'Three channels: red, green, blue',
        },
        description:
          'Which colours are heard on which channel. A painting’s colours become space: red on the left and green/blue on the right, or Riffusion’s own stereo layout (green, blue).',
      },
    ),
    inversion: choice('least-squares', ['least-squares', 'nnls'], {
      label: 'Mel inversion',
      optionLabels: {
        'least-squares': 'Least squares (torchaudio)',
        nnls: 'Non-negative least squares',
      },
      description:
        'Least squares with negatives cut is torchaudio’s InverseMelScale; non-negative least squares fits the mel rows exactly where it can (slower, rarely audible).',
    }),
    iterations: int(32, {
      min: 1,
      max: 1000,
      label: 'Iterations',
      description: 'Griffin-Lim iterations (Riffusion: 32).',
    }),
    momentum: float(0.99, {
      min: 0,
      max: 0.999,
      label: 'Momentum',
      description: 'Fast Griffin-Lim momentum, as torchaudio (Riffusion: 0.99).',
    }),
    init: choice('torchaudio', ['torchaudio', 'random-phase'], {
      label: 'Random start',
      optionLabels: { torchaudio: 'torchaudio (Riffusion)', 'random-phase': 'Random phases' },
      description:
        'torchaudio’s start draws real and imaginary parts uniform in [0, 1); or unit phasors with random phases. Every channel starts alike, so equal colours give equal channels.',
    }),
    seed: seed(0, { label: 'Seed', description: 'Seeds the random start.' }),
    chunkColumns: int(512, {
      min: 16,
      max: 100000,
      unit: 'columns',
      label: 'Chunk',
      description:
        'Pictures wider than this are read in overlapping chunks, each from the phase the previous one ended on, spliced at the column where they agree best: no warble of one huge Griffin-Lim, bounded memory. 512 reads Riffusion’s pictures whole.',
    }),
    overlapColumns: int(64, {
      min: 1,
      max: 4096,
      unit: 'columns',
      label: 'Overlap',
      description: 'Columns neighbouring chunks share; the splice is chosen among them.',
    }),
    loop: bool(false, {
      label: 'Seamless loop',
      description:
        'Read the picture as a loop (its right edge continuing into its left, as a picture painted with a latent shift is): the sound is exactly width × 10 ms and repeats without a click.',
    }),
    normalize: bool(true, {
      label: 'Normalize',
      description: 'Peak at −0.1 dBFS, as Riffusion’s output filters (one gain for all channels).',
    }),
    ...riffusionFramingParams,
  },
  runtime: 'cpu',
  cancellation: 'per-step',
  estimate: ({ image }, params) => {
    const { fftSize, hopSize } = framingFrom(params, image.height)
    const bins = Math.floor(fftSize / 2) + 1
    const planes = Math.min(3, image.channels.length)
    // Griffin-Lim runs on chunks of columns (with their overlaps), one plane at a time.
    const chunk = Math.min(image.width, params.chunkColumns + 2 * params.overlapColumns)
    const chunks = Math.ceil(image.width / Math.max(1, params.chunkColumns))
    const columns = Math.min(chunks * chunk, image.width + 2 * chunks * params.overlapColumns)
    const samples = hopSize * image.width + fftSize
    const bytes =
      4 * image.width * image.height * image.channels.length +
      (24 * bins + 4 * image.height) * chunk +
      planes * 8 * samples
    const ops = planes * params.iterations * columns * 2 * realFftOps(fftSize)
    return {
      bytes,
      seconds: secondsFor(ops),
      detail: `${params.iterations} iterations × ${image.width} columns × FFT ${fftSize}${planes > 1 ? ` × ${planes} channels` : ''}`,
    }
  },
  // Stereo and three-channel readings run their channels at once on a pool of workers: each
  // a run of its own on a one-plane picture read as 'red', not normalised (the join does it).
  // Every channel's start comes from the same first draw, so no part skips any.
  split: ({ image }, params) => {
    if (imageProblem(image.width, image.height, image.channels) || framingProblem(params)) return
    if (image.width < 2 || image.height < 2) return
    const planes = readPlanes(image.channels, params.reading)
    if (planes.length < 2) return
    return {
      parts: planes.map((plane, c) => ({
        inputs: { image: { ...image, channels: [plane] } },
        params: { ...params, reading: 'red' as const, normalize: false },
        draws: 0,
        label: `Channel ${c + 1}`,
      })),
      join: (outputs) => {
        const channels = outputs.map((o) => o.audio.channels[0])
        if (params.normalize) normalizePeak(channels, PEAK)
        return { audio: { ...outputs[0].audio, channels } }
      },
    }
  },
  run: async ({ image }, params, ctx) => {
    const problem = imageProblem(image.width, image.height, image.channels)
    if (problem)
      throw new UserError(
        `Riffusion Decode: the image input ${problem}.`,
        'Check the node feeding it.',
      )
    const framingIssue = framingProblem(params)
    if (framingIssue)
      throw new UserError(`Riffusion Decode: ${framingIssue}.`, 'Fix the framing params.')
    if (image.width < 2 || image.height < 2)
      throw new UserError(
        `Riffusion Decode: the picture is ${image.width} × ${image.height}; it needs at least 2 columns and 2 rows.`,
        'Resize it larger.',
      )
    await initFastFft()
    const { width, height } = image
    const framing = framingFrom(params, height)
    const planes = readPlanes(image.channels, params.reading)
    const start = Math.floor(ctx.random() * 2 ** 32)
    const channels = planes.map((plane, c) => {
      if (ctx.signal.aborted) throw new CancelledError()
      try {
        return decodePlane(plane, width, height, {
          framing,
          power: params.power,
          maxValue: RIFFUSION_MAX_VALUE,
          inversion: params.inversion,
          iterations: params.iterations,
          momentum: params.momentum,
          init: params.init === 'torchaudio' ? 'notebook' : 'random-phase',
          random: mulberry32(start),
          chunkColumns: params.chunkColumns,
          overlapColumns: params.overlapColumns,
          wrap: params.loop,
          signal: ctx.signal,
          onIteration: (i, total) =>
            ctx.progress(
              (c + i / total) / planes.length,
              planes.length > 1
                ? `Channel ${c + 1}: iteration ${i} of ${total}`
                : `Iteration ${i} of ${total}`,
            ),
        })
      } catch (error) {
        if (ctx.signal.aborted) throw new CancelledError()
        throw error
      }
    })
    if (params.normalize) normalizePeak(channels, PEAK)
    ctx.progress(1)
    const audio: AudioValue = { kind: 'audio', sampleRate: params.sampleRateHz, channels }
    return { audio }
  },
})
