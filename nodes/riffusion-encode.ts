import { defineNode } from '../src/engine/define-node'
import { CancelledError, UserError } from '../src/engine/errors'
import { choice, int } from '../src/engine/params'
import type { ImageValue } from '../src/engine/values'
import { initFastFft } from '../src/dsp/fft'
import { resample } from '../src/dsp/resample'
import { layoutPlanes, melToPlane, riffusionMel } from '../src/dsp/riffusion'
import { framingFrom, framingProblem, riffusionFramingParams } from './riffusion-framing'

export const riffusionEncode = defineNode({
  type: 'spectrogram/riffusion-encode',
  version: 1,
  title: 'Riffusion Encode',
  category: 'Audio → Image',
  description:
    'Paints a sound as a Riffusion spectrogram: 10 ms per column, 512 mel rows up to 10 kHz, loud is dark, low notes at the bottom. Pictures a Riffusion model makes and expects (512 columns = 5.12 s); stereo goes to green and blue as Riffusion lays it out.',
  inputs: { audio: 'audio' },
  outputs: { image: 'image' },
  params: {
    layout: choice('mono', ['mono', 'riffusion-stereo', 'red-cyan'], {
      label: 'Channels',
      optionLabels: {
        mono: 'Mono (grey; channels averaged)',
        'riffusion-stereo': 'Stereo, Riffusion (left green, right blue, red black)',
        'red-cyan': 'Stereo, red left / cyan right',
      },
      description:
        'Mono averages the channels and paints grey, as Riffusion’s mono models. Riffusion’s stereo layout puts left in green and right in blue with red black (red read as mono is then all loud); red/cyan puts left in red and right in green and blue.',
    }),
    melBins: int(512, {
      min: 8,
      max: 4096,
      unit: 'rows',
      label: 'Mel rows',
      description: 'Picture height: Riffusion’s models are trained on 512.',
    }),
    quantize: choice('truncate', ['truncate', 'round', 'none'], {
      label: '8-bit levels',
      optionLabels: { truncate: 'Truncate (Riffusion’s uint8 cast)', round: 'Round', none: 'None' },
      description:
        'Riffusion casts to uint8, which truncates; rounding is half a level more accurate; none keeps full precision.',
    }),
    ...riffusionFramingParams,
  },
  runtime: 'cpu',
  run: async ({ audio }, params, ctx) => {
    const problem = framingProblem(params)
    if (problem) throw new UserError(`Riffusion Encode: ${problem}.`, 'Fix the framing params.')
    if (audio.channels.length === 0 || audio.channels[0].length === 0)
      throw new UserError('Riffusion Encode: the sound is empty.', 'Check the node feeding it.')
    const rate = params.sampleRateHz
    const at = (c: Float32Array) =>
      audio.sampleRate === rate ? c : resample(c, audio.sampleRate, rate)
    const mono = params.layout === 'mono'
    const sources = mono
      ? [mean(audio.channels)]
      : [audio.channels[0], audio.channels[1] ?? audio.channels[0]]
    const signals = sources.map(at)
    const minimum = Math.floor(params.fftSize / 2) + 1
    if (signals[0].length < minimum)
      throw new UserError(
        `Riffusion Encode: the sound is ${(signals[0].length / rate).toFixed(3)} s; the ${params.fftSize}-sample frame needs at least ${(minimum / rate).toFixed(3)} s.`,
        'Use a longer sound, or a smaller FFT size.',
      )
    await initFastFft()
    const framing = framingFrom(params, params.melBins)
    const mels = signals.map((signal) => riffusionMel(signal, framing))
    if (ctx.signal.aborted) throw new CancelledError()
    const frames = mels[0].frames
    // One loudest value for all channels, as image_from_spectrogram's np.max over the stack.
    let max = 0
    for (const { mel } of mels) for (let i = 0; i < mel.length; i++) max = Math.max(max, mel[i])
    const planes = mels.map(({ mel }) =>
      melToPlane(mel, params.melBins, frames, max, params.power, params.quantize),
    )
    const image: ImageValue = {
      kind: 'image',
      width: frames,
      height: params.melBins,
      channels: layoutPlanes(planes, params.layout),
    }
    return { image }
  },
})

/** The channels' average, as pydub's set_channels(1). */
function mean(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0]
  const out = new Float32Array(channels[0].length)
  for (const c of channels) for (let i = 0; i < out.length; i++) out[i] += c[i] / channels.length
  return out
}
