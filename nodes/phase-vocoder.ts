import { realFftOps, secondsFor } from '../src/engine/capacity'
import { defineNode } from '../src/engine/define-node'
import { CancelledError, UserError } from '../src/engine/errors'
import { choice, float, int } from '../src/engine/params'
import type { AudioValue } from '../src/engine/values'
import { initFastFft } from '../src/dsp/fft'
import { firstNonFinite } from '../src/dsp/image-ops'
import { timeStretch, timeStretchWorkingBytes } from '../src/dsp/phase-vocoder'
import { literalPhaseVocoder } from '../src/dsp/phase-vocoder-literal'
import { tooShortMessage } from '../src/dsp/stft'

export const phaseVocoder = defineNode({
  type: 'dsp/phase-vocoder',
  version: 1,
  title: 'Time Stretch',
  category: 'Audio',
  description:
    'Makes a sound longer or shorter without changing its pitch: STFT → phase vocoder → ISTFT, ' +
    'as torchaudio’s phase_vocoder (the notebook’s intended 3× stretch). The notebook’s literal ' +
    'call, which hands phase_vocoder the raw waveform, can be heard as a method.',
  inputs: { audio: 'audio' },
  outputs: { audio: 'audio' },
  params: {
    stretch: float(3, {
      min: 0.1,
      max: 10,
      unit: '×',
      curve: 'log',
      label: 'Stretch',
      description: 'How many times longer the result is (0.5 = twice as fast).',
    }),
    fftSize: int(512, {
      min: 16,
      max: 16384,
      unit: 'samples',
      label: 'FFT size',
      description: 'Frame length: larger smears transients, smaller blurs low notes.',
    }),
    hopSize: int(128, {
      min: 1,
      max: 16384,
      unit: 'samples',
      label: 'Hop',
      description: 'Samples between analysis frames (a quarter of the FFT size is usual).',
    }),
    method: choice('intended', ['intended', 'notebook-literal'], {
      label: 'Method',
      optionLabels: {
        intended: 'STFT → phase vocoder → ISTFT (what the notebook meant)',
        'notebook-literal': 'The notebook’s literal call (raw waveform, real part)',
      },
      description:
        'The notebook passes the waveform itself to phase_vocoder, which reads channels as frequency bins and samples as frames: the result is the sound slowed down and lowered by the stretch, buzzing at zero crossings. Each channel is one call on a one-row tensor, as the notebook’s RGB average; its phase advance is assumed to be linspace(0, π·hop, rows), 0 for one row (the notebook’s own is not known; any advance cancels but for float32 rounding noise). FFT size and hop are then unused.',
    }),
  },
  runtime: 'cpu',
  estimate: ({ audio }, { stretch, fftSize, hopSize }) => {
    const length = audio.channels[0]?.length ?? 0
    const frames = Math.floor(length / Math.max(1, hopSize)) + 1
    const steps = Math.ceil(frames * stretch)
    const count = audio.channels.length
    // The channels and their results (4 B a sample each), plus what one channel's stretch holds
    // while it runs (channels go one at a time): in WASM its steps and the module's windows of
    // the signal and the sum, a few MB; in JavaScript the whole sum too (timeStretchWorkingBytes).
    // 3 min of stereo ×3 at 512/128: 249 MB (measured: 242 MB of inputs and results, 2 MB of
    // steps in JavaScript, the module grown by 4 MB). The JavaScript layout's figure was 1.4 GB.
    const result = Math.round(stretch * length)
    const working = timeStretchWorkingBytes(length, stretch, { fftSize, hopSize })
    return {
      bytes: count * 4 * (length + result) + working,
      seconds: secondsFor(count * (frames + steps) * realFftOps(fftSize)),
      detail: `${count} channel${count === 1 ? '' : 's'} of ${length} samples × stretch ${stretch} × FFT ${fftSize}`,
    }
  },
  run: async ({ audio }, params, ctx) => {
    const length = audio.channels[0]?.length ?? 0
    if (audio.channels.length === 0 || length === 0)
      throw new UserError('Time Stretch: the audio input is empty.', 'Load a sound first.')
    for (const [c, channel] of audio.channels.entries()) {
      const bad = firstNonFinite(channel)
      if (bad >= 0)
        throw new UserError(
          `Time Stretch: the audio has ${channel[bad]} at sample ${bad} of channel ${c + 1}.`,
          'Check the node feeding it; NaN is not a sound.',
        )
    }
    const { stretch, fftSize, hopSize } = params
    if (params.method === 'notebook-literal') {
      // The notebook calls phase_vocoder(waveform, rate=1/3, phase_advance) on its RGB average,
      // a (1, samples) tensor, so the advance must have one row. Its value is not recorded
      // anywhere we could find: assumed torch.linspace(0, π·hop, 1) = [0], the shape-compatible
      // form of torchaudio's own. Any other value cancels (princarg) but for float32 noise.
      const channels = audio.channels.map((channel) => {
        if (ctx.signal.aborted) throw new CancelledError()
        return literalPhaseVocoder(channel, 1 / stretch, 0)
      })
      return { audio: { kind: 'audio', sampleRate: audio.sampleRate, channels } }
    }
    if (hopSize > fftSize)
      throw new UserError(
        `Time Stretch: hop ${hopSize} is longer than the FFT size ${fftSize}.`,
        'Lower the hop to a quarter of the FFT size.',
      )
    const minimum = Math.floor(fftSize / 2) + 1
    if (length < minimum)
      throw new UserError(
        `Time Stretch: ${tooShortMessage(length, minimum, fftSize)}.`,
        'Use a smaller FFT size or a longer sound.',
      )
    await initFastFft()
    const channels = audio.channels.map((channel, c) => {
      if (ctx.signal.aborted) throw new CancelledError()
      ctx.progress(c / audio.channels.length, `Channel ${c + 1}`)
      return timeStretch(channel, stretch, { fftSize, hopSize, window: 'hann' })
    })
    ctx.progress(1)
    const out: AudioValue = { kind: 'audio', sampleRate: audio.sampleRate, channels }
    return { audio: out }
  },
})
