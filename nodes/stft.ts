import { realFftOps, secondsFor } from '../src/engine/capacity'
import { defineNode } from '../src/engine/define-node'
import { CancelledError, UserError } from '../src/engine/errors'
import { bool, choice, int } from '../src/engine/params'
import type { SpectrogramValue } from '../src/engine/values'
import { initFastFft } from '../src/dsp/fft'
import { firstNonFinite } from '../src/dsp/image-ops'
import {
  minimumStftLength,
  stft as computeStft,
  tooShortMessage,
  type StftOptions,
} from '../src/dsp/stft'
import { WINDOW_NAMES } from '../src/dsp/window'

export const stft = defineNode({
  type: 'dsp/stft',
  version: 1,
  title: 'Spectrogram (STFT)',
  category: 'Analysis',
  description:
    'Short-time Fourier transform as torchaudio’s Spectrogram: windowed frames, centred with ' +
    'reflect padding, as power or magnitude. Stereo is averaged as power, as the notebook does, ' +
    'or kept per channel.',
  inputs: { audio: 'audio' },
  outputs: { spectrogram: 'spectrogram' },
  params: {
    fftSize: int(512, {
      min: 16,
      max: 32768,
      unit: 'samples',
      label: 'FFT size',
      description: 'Samples per frame; fftSize/2 + 1 frequency bins. Any size works.',
    }),
    hopSize: int(0, {
      min: 0,
      max: 32768,
      unit: 'samples',
      label: 'Hop',
      description: 'Samples between frames; 0 = FFT size / 2 (torchaudio’s default, 256 for 512).',
    }),
    window: choice('hann', WINDOW_NAMES, {
      label: 'Window',
      description: 'Periodic window applied to each frame (torch’s default is Hann).',
    }),
    center: bool(true, {
      label: 'Centre frames',
      description: 'Pad FFT size/2 at each end so frame t is centred on sample t·hop.',
    }),
    padMode: choice('reflect', ['reflect', 'constant'], {
      label: 'Edge padding',
      optionLabels: { reflect: 'Reflect (torch)', constant: 'Zeros' },
      description:
        'How the ends are padded when centring. Reflect needs more than FFT size/2 samples.',
    }),
    scale: choice('power', ['power', 'magnitude'], {
      label: 'Scale',
      optionLabels: { power: 'Power |X|² (notebook)', magnitude: 'Magnitude |X|' },
      description:
        'Power is what torchaudio’s Spectrogram gives by default. With channels averaged, magnitude is √(mean power).',
    }),
    stereo: choice('mean-power', ['mean-power', 'keep'], {
      label: 'Channels',
      optionLabels: { 'mean-power': 'Average power (notebook)', keep: 'One per channel' },
      description:
        'Average the channels’ power into one spectrogram (not a downmix: phases do not cancel), or keep one per channel.',
    }),
    keepPhase: bool(false, {
      label: 'Keep phase',
      description:
        'Also output the phase, for resynthesis. With averaged channels it is the phase of the channels’ mean.',
    }),
  },
  runtime: 'cpu',
  estimate: ({ audio }, params) => {
    const length = audio.channels[0]?.length ?? 0
    const hopSize =
      params.hopSize > 0 ? params.hopSize : Math.max(1, Math.floor(params.fftSize / 2))
    const frames = Math.floor(length / hopSize) + 1
    const cells = (Math.floor(params.fftSize / 2) + 1) * frames
    const count = audio.channels.length
    // Per channel: the values and, kept or not, the phase or the real and imaginary parts.
    const perCell = params.keepPhase ? 12 : 8
    return {
      bytes: count * (4 * length + perCell * cells) + 4 * cells,
      seconds: secondsFor(count * frames * realFftOps(params.fftSize)),
      detail: `${count} channel${count === 1 ? '' : 's'} × ${frames} frames × FFT ${params.fftSize}`,
    }
  },
  run: async ({ audio }, params, ctx) => {
    const length = audio.channels[0]?.length ?? 0
    if (audio.channels.length === 0 || length === 0)
      throw new UserError('Spectrogram: the audio input is empty.', 'Load a sound first.')
    for (const [c, channel] of audio.channels.entries()) {
      const bad = firstNonFinite(channel)
      if (bad >= 0)
        throw new UserError(
          `Spectrogram: the audio has ${channel[bad]} at sample ${bad} of channel ${c + 1}.`,
          'Check the node feeding it; NaN is not a sound.',
        )
    }
    const fftSize = params.fftSize
    const hopSize = params.hopSize > 0 ? params.hopSize : Math.max(1, Math.floor(fftSize / 2))
    const options: StftOptions = { ...params, fftSize, hopSize }
    const minimum = minimumStftLength(options)
    if (length < minimum)
      throw new UserError(
        `Spectrogram: ${tooShortMessage(length, minimum, fftSize)}.`,
        params.center && params.padMode === 'reflect'
          ? 'Use a smaller FFT size, or set Edge padding to Zeros.'
          : 'Use a smaller FFT size or a longer sound.',
      )
    await initFastFft()
    const average = params.stereo === 'mean-power' && audio.channels.length > 1
    const spectra: ReturnType<typeof computeStft>[] = []
    for (const [c, channel] of audio.channels.entries()) {
      if (ctx.signal.aborted) throw new CancelledError()
      ctx.progress(c / audio.channels.length, `Channel ${c + 1}`)
      const s = computeStft(channel, {
        ...options,
        power: 2,
        keepPhase: params.keepPhase && !average,
      })
      // Averaging: each channel's power is added to the first's as it comes (float32 sums, in
      // channel order, as into a zeroed matrix), so at most two matrices are held at once.
      if (average && c > 0) {
        const sum = spectra[0].values
        for (let i = 0; i < sum.length; i++) sum[i] += s.values[i]
      } else spectra.push(s)
    }
    const { bins, frames } = spectra[0]
    const channels = spectra.map((s) => s.values)
    let phase = params.keepPhase ? spectra.map((s) => s.phase ?? new Float32Array(0)) : undefined
    if (average) {
      const [mean] = channels
      for (let i = 0; i < mean.length; i++) mean[i] /= audio.channels.length
      if (params.keepPhase) {
        const mid = computeStft(meanSignal(audio.channels), {
          ...options,
          power: 2,
          keepPhase: true,
        })
        phase = [mid.phase ?? new Float32Array(0)]
      }
    }
    if (params.scale === 'magnitude') {
      for (const m of channels) for (let i = 0; i < m.length; i++) m[i] = Math.sqrt(m[i])
    }
    const spectrogram: SpectrogramValue = {
      kind: 'spectrogram',
      sampleRate: audio.sampleRate,
      fftSize,
      hopSize,
      window: params.window,
      center: params.center,
      scale: params.scale,
      bins,
      frames,
      channels,
      ...(phase ? { phase } : {}),
    }
    ctx.progress(1)
    return { spectrogram }
  },
})

/** The channels' mean signal. */
function meanSignal(channels: Float32Array[]): Float32Array {
  const out = new Float32Array(channels[0].length)
  for (const channel of channels) for (let i = 0; i < out.length; i++) out[i] += channel[i]
  for (let i = 0; i < out.length; i++) out[i] /= channels.length
  return out
}
