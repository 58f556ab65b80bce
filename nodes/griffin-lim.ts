import { realFftOps, secondsFor } from '../src/engine/capacity'
import { defineNode, type RunContext } from '../src/engine/define-node'
import { CancelledError, UserError } from '../src/engine/errors'
import { bool, choice, float, int, seed } from '../src/engine/params'
import type { AudioValue } from '../src/engine/values'
import { initFastFft } from '../src/dsp/fft'
import { griffinLim as reconstruct } from '../src/dsp/griffin-lim'
import { imageProblem } from '../src/dsp/image-ops'
import { imageChannelToMagnitude } from '../src/dsp/image-to-magnitude'
import { normalizePeak } from '../src/dsp/mix'

/** What the notebook writes whatever its input was. */
const NOTEBOOK_RATE_HZ = 24000

export const griffinLim = defineNode({
  type: 'dsp/griffin-lim',
  version: 1,
  title: 'Griffin-Lim',
  category: 'Image → Audio',
  description:
    'Reads each colour channel as a spectrogram (columns are time, rows frequency) and finds a ' +
    'sound with that spectrum by Griffin-Lim phase reconstruction, as torchaudio’s GriffinLim.',
  inputs: { image: 'image' },
  outputs: { audio: 'audio' },
  params: {
    iterations: int(32, {
      min: 1,
      max: 1000,
      label: 'Iterations',
      description: 'More iterations fit the picture more closely (the notebook: 32).',
    }),
    momentum: float(0.99, {
      min: 0,
      max: 0.999,
      label: 'Momentum',
      description: 'Fast Griffin-Lim momentum, as torchaudio (0 = classic Griffin-Lim).',
    }),
    dbRange: float(80, {
      min: 1,
      max: 200,
      unit: 'dB',
      label: 'Level range',
      description: 'The level range from black to white.',
    }),
    valueScale: choice('db', ['db', 'notebook'], {
      label: 'Pixel values',
      optionLabels: {
        db: 'dB (full range)',
        notebook: 'Notebook (half the range)',
      },
      description:
        'How brightness maps to level. dB: black is −range dB, white 0 dB. The notebook reads its dB as power with the magnitude formula, so only half the range is heard (40 dB for 80).',
    }),
    orientation: choice('low-at-bottom', ['low-at-bottom', 'low-at-top'], {
      label: 'Low frequencies',
      optionLabels: { 'low-at-bottom': 'At the bottom', 'low-at-top': 'At the top (notebook)' },
      description: 'Which edge of the picture is the lowest frequency.',
    }),
    fftSize: int(0, {
      min: 0,
      max: 32768,
      unit: 'samples',
      label: 'FFT size',
      description:
        '0 = 2·(rows − 1), one bin per row, as the notebook (598 for 300 rows). Other sizes resample the rows.',
    }),
    hopSize: int(0, {
      min: 0,
      max: 32768,
      unit: 'samples',
      label: 'Hop',
      description: 'Samples per column; 0 = FFT size / 2, as the notebook.',
    }),
    sampleRateHz: int(0, {
      min: 0,
      max: 384000,
      unit: 'Hz',
      label: 'Sample rate',
      description:
        "Rate of the result; 0 = the rate of the sound the picture was made from, when the picture says (a spectrogram's picture does), else 24000 Hz as the notebook.",
    }),
    init: choice('random-phase', ['random-phase', 'notebook'], {
      label: 'Random start',
      optionLabels: {
        'random-phase': 'Random phases',
        notebook: 'Notebook (torch.rand on complex)',
      },
      description:
        'The starting guess: unit phasors with random phases, or the notebook’s real and imaginary parts uniform in [0, 1).',
    }),
    seed: seed(0, { label: 'Seed', description: 'Seeds the random start.' }),
    channels: choice('each', ['each', 'mean'], {
      label: 'Channels',
      optionLabels: { each: 'One per colour', mean: 'Average (notebook “RGB average”)' },
      description:
        'One audio channel per image channel (alpha ignored), or their average. On a grey picture the average mostly cancels.',
    }),
    normalize: bool(true, {
      label: 'Normalize',
      description:
        'Scale so the loudest sample is 1, as the notebook (one gain for all channels). An all-black channel stays silent.',
    }),
  },
  runtime: 'cpu',
  cancellation: 'per-step',
  estimate: ({ image }, params) => {
    const fftSize = params.fftSize > 0 ? params.fftSize : 2 * (image.height - 1)
    const hopSize = params.hopSize > 0 ? params.hopSize : Math.max(1, Math.floor(fftSize / 2))
    const bins = Math.floor(fftSize / 2) + 1
    const colours = Math.min(3, image.channels.length)
    const cells = bins * image.width
    const samples = fftSize + hopSize * image.width
    // One colour at a time: its magnitude (4 B), the previous and the current complex
    // spectrogram (8 B each) and the rows read from the picture (4 B); three float signals.
    const bytes = 4 * image.width * image.height * image.channels.length + 24 * cells + 20 * samples
    // Every iteration: an inverse and a forward FFT per column, for each colour.
    const ops = colours * params.iterations * image.width * 2 * realFftOps(fftSize)
    return {
      bytes: bytes + colours * 4 * samples,
      seconds: secondsFor(ops),
      detail:
        `${params.iterations} iterations × ${image.width} columns × FFT ${fftSize}` +
        (colours > 1 ? ` × ${colours} colours` : ''),
    }
  },
  // Three colours run at once on a pool of workers: each channel is a run of its own on a
  // one-plane picture, neither averaged nor normalised; the join does both, as `run` would.
  split: ({ image }, params) => {
    const planes = image.channels.slice(0, 3)
    if (planes.length < 2 || imageProblem(image.width, image.height, image.channels)) return
    if (image.width < 2 || (params.fftSize === 0 && image.height < 2)) return
    const bins = Math.floor(framingOf(image.height, params).fftSize / 2) + 1
    // The random start draws bins × columns values (two each for the notebook's) for every
    // channel that is not silent, channel after channel.
    const draws = bins * image.width * (params.init === 'notebook' ? 2 : 1)
    let before = 0
    const parts = planes.map((plane, c) => {
      const part = {
        inputs: { image: { ...image, channels: [plane] } },
        params: { ...params, channels: 'each' as const, normalize: false },
        draws: before,
        label: `Channel ${c + 1}`,
      }
      if (!plane.every((v) => v === 0)) before += draws
      return part
    })
    return {
      parts,
      join: (outputs) => {
        const audio = finish(
          outputs.map((o) => o.audio.channels[0]),
          params,
        )
        return { audio: { ...outputs[0].audio, channels: audio } }
      },
    }
  },
  run: async ({ image }, params, ctx) => {
    const problem = imageProblem(image.width, image.height, image.channels)
    if (problem)
      throw new UserError(`Griffin-Lim: the image input ${problem}.`, 'Check the node feeding it.')
    const { width, height } = image
    if (params.fftSize === 0 && height < 2)
      throw new UserError(
        `Griffin-Lim: the image is ${height} pixel tall; automatic FFT size needs at least 2 rows.`,
        'Resize the image, or set an FFT size.',
      )
    if (width < 2)
      throw new UserError(
        `Griffin-Lim: the image is ${width} pixel wide; a sound needs at least 2 columns.`,
        'Resize the image to more columns.',
      )
    const { fftSize, hopSize } = framingOf(height, params)
    if (hopSize > fftSize)
      throw new UserError(
        `Griffin-Lim: hop ${hopSize} is longer than the FFT size ${fftSize}, leaving gaps.`,
        'Lower the hop or raise the FFT size.',
      )
    await initFastFft()
    const planes = image.channels.slice(0, Math.min(3, image.channels.length))
    const bins = Math.floor(fftSize / 2) + 1
    const waveforms = planes.map((plane, c) => {
      if (ctx.signal.aborted) throw new CancelledError()
      // A black channel is silence (its formula level, −range dB, would become loud noise
      // once normalised).
      if (plane.every((v) => v === 0))
        return new Float32Array(silentLength(fftSize, hopSize, width))
      const magnitude = imageChannelToMagnitude(plane, width, height, { ...params, bins })
      return runGriffinLim(magnitude, { ...params, fftSize, hopSize }, ctx, c, planes.length)
    })
    const channels = finish(waveforms, params)
    ctx.progress(1)
    const sampleRate =
      params.sampleRateHz > 0 ? params.sampleRateHz : (image.origin?.sampleRate ?? NOTEBOOK_RATE_HZ)
    const audio: AudioValue = { kind: 'audio', sampleRate, channels }
    return { audio }
  },
})

/** The FFT size and hop a picture of `height` rows is read with. */
function framingOf(
  height: number,
  params: { fftSize: number; hopSize: number },
): { fftSize: number; hopSize: number } {
  const fftSize = params.fftSize > 0 ? params.fftSize : 2 * (height - 1)
  const hopSize = params.hopSize > 0 ? params.hopSize : Math.max(1, Math.floor(fftSize / 2))
  return { fftSize, hopSize }
}

/** The channels' average where asked, then one gain for all where asked. */
function finish(
  waveforms: Float32Array[],
  params: { channels: 'each' | 'mean'; normalize: boolean },
): Float32Array[] {
  let channels = waveforms
  if (params.channels === 'mean' && waveforms.length > 1) {
    const mean = new Float32Array(waveforms[0].length)
    for (const w of waveforms) for (let i = 0; i < mean.length; i++) mean[i] += w[i]
    for (let i = 0; i < mean.length; i++) mean[i] /= waveforms.length
    channels = [mean]
  }
  if (params.normalize) normalizePeak(channels, 1)
  return channels
}

/** torch.istft's length without `length`: hop·(frames − 1) (+1 for odd FFT sizes). */
function silentLength(fftSize: number, hopSize: number, frames: number): number {
  return fftSize + hopSize * (frames - 1) - 2 * Math.floor(fftSize / 2)
}

function runGriffinLim(
  magnitude: Float32Array,
  params: {
    fftSize: number
    hopSize: number
    iterations: number
    momentum: number
    init: 'random-phase' | 'notebook'
  },
  ctx: RunContext,
  channel: number,
  channelCount: number,
): Float32Array {
  const total = params.iterations * channelCount
  try {
    return reconstruct(magnitude, {
      fftSize: params.fftSize,
      hopSize: params.hopSize,
      window: 'hann',
      iterations: params.iterations,
      momentum: params.momentum,
      init: params.init,
      random: () => ctx.random(),
      signal: ctx.signal,
      onIteration: (i, sc) =>
        ctx.progress(
          (channel * params.iterations + i) / total,
          `${channelCount > 1 ? `Channel ${channel + 1}, iteration` : 'Iteration'} ${i}: convergence ${sc.toFixed(3)}`,
        ),
    }).waveform
  } catch (error) {
    if (ctx.signal.aborted) throw new CancelledError()
    throw error
  }
}
