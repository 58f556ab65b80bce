import { defineNode } from '../src/engine/define-node'
import { UserError } from '../src/engine/errors'
import { bool, choice, float } from '../src/engine/params'
import type { AudioValue } from '../src/engine/values'
import { firstNonFinite } from '../src/dsp/image-ops'
import { dbToGain, mixSignals } from '../src/dsp/mix'

const gainParam = (port: string) =>
  float(0, {
    min: -96,
    max: 24,
    unit: 'dB',
    label: `Gain ${port}`,
    description: `Level of input ${port}; 0 dB leaves it unchanged.`,
  })

export const mix = defineNode({
  type: 'audio/mix',
  // 2: in stereo mode an input left empty keeps its channel (silent) instead of shifting the rest.
  version: 2,
  title: 'Mix',
  category: 'Audio',
  description:
    'Mixes up to four sounds: their average, their sum, or each on its own channel (a on the left, b on the right). ' +
    'Shorter sounds are padded with silence; all must share one sample rate.',
  inputs: {
    // Must be connected, but a muted source there is silence (the others still mix).
    a: { kind: 'audio', mixable: true },
    b: { kind: 'audio', optional: true },
    c: { kind: 'audio', optional: true },
    d: { kind: 'audio', optional: true },
  },
  outputs: { audio: 'audio' },
  params: {
    mode: choice('average', ['average', 'sum', 'stereo'], {
      label: 'Mode',
      optionLabels: {
        average: 'Average',
        sum: 'Sum',
        stereo: 'One channel each (a left, b right)',
      },
      description:
        'Average keeps the level of one input; sum adds them (may clip); one channel each puts a on the left, b on the right, c and d on channels 3 and 4.',
    }),
    gainA: gainParam('a'),
    gainB: gainParam('b'),
    gainC: gainParam('c'),
    gainD: gainParam('d'),
    normalize: bool(false, {
      label: 'Normalize',
      description: 'Scale the mix so its peak is at the level below.',
    }),
    peakDb: float(-1, {
      min: -60,
      max: 0,
      unit: 'dBFS',
      label: 'Peak',
      description: 'Target peak when normalising.',
    }),
  },
  runtime: 'cpu',
  cancellation: 'none',
  run: (inputs, params) => {
    const ports: [string, AudioValue | undefined, number][] = [
      ['a', inputs.a, params.gainA],
      ['b', inputs.b, params.gainB],
      ['c', inputs.c, params.gainC],
      ['d', inputs.d, params.gainD],
    ]
    const present = ports.flatMap(([port, audio, db]) =>
      audio ? [{ port, audio, gain: dbToGain(db) }] : [],
    )
    const { port: firstPort, audio: first } = present[0]
    for (const { port, audio } of present) {
      if (audio.sampleRate !== first.sampleRate)
        throw new UserError(
          `Mix: input ${port} is at ${audio.sampleRate} Hz but input ${firstPort} is at ${first.sampleRate} Hz; Mix does not resample.`,
          'Give both the same rate, e.g. with the sample-rate param of their Load Audio nodes.',
        )
      for (const [c, channel] of audio.channels.entries()) {
        const bad = firstNonFinite(channel)
        if (bad >= 0)
          throw new UserError(
            `Mix: input ${port} has ${channel[bad]} at sample ${bad} of channel ${c + 1}.`,
            'Check the node feeding it; a NaN usually comes from dividing silence by itself.',
          )
      }
      if (audio.channels.length === 0)
        throw new UserError(`Mix: input ${port} has no channels.`, 'Check the node feeding it.')
    }
    // One channel each keeps every input on its own channel: a muted a leaves the left silent.
    const last = ports.findLastIndex(([, audio]) => audio !== undefined)
    const sources =
      params.mode === 'stereo'
        ? ports.slice(0, last + 1).map(([, audio, db]) => ({
            channels: audio?.channels ?? [],
            gain: dbToGain(db),
          }))
        : present.map(({ audio, gain }) => ({ channels: audio.channels, gain }))
    const channels = mixSignals(
      sources,
      params.mode,
      params.normalize ? dbToGain(params.peakDb) : undefined,
    )
    return { audio: { kind: 'audio', sampleRate: first.sampleRate, channels } }
  },
})
