import { defineNode } from '../src/engine/define-node'
import { float, int } from '../src/engine/params'
import type { AudioValue } from '../src/engine/values'
import { loopSignal } from '../src/dsp/loop-finder'

export const loopAudio = defineNode({
  type: 'audio/loop',
  version: 1,
  title: 'Loop Audio',
  category: 'Audio',
  description:
    'Plays a sound with a loop: from the start to the loop end b, back to the loop start a and on to b again, then from a to the end, each jump crossfaded. Loop points come in as picture columns (from Loop Finder) or are set here.',
  inputs: {
    audio: 'audio',
    start: { kind: 'number', optional: true, label: 'Loop start (columns)' },
    end: { kind: 'number', optional: true, label: 'Loop end (columns)' },
  },
  outputs: { audio: 'audio' },
  params: {
    startColumn: int(0, {
      min: 0,
      max: 1000000,
      unit: 'columns',
      label: 'Loop start',
      description: 'Used when no loop start is connected.',
    }),
    endColumn: int(150, {
      min: 1,
      max: 1000000,
      unit: 'columns',
      label: 'Loop end',
      description: 'Used when no loop end is connected.',
    }),
    samplesPerColumn: int(441, {
      min: 1,
      max: 100000,
      unit: 'samples',
      label: 'Samples per column',
      description:
        'The hop the picture was read with: 441 for Riffusion pictures (10 ms at 44.1 kHz).',
    }),
    repeats: int(1, {
      min: 0,
      max: 64,
      label: 'Extra loops',
      description: 'Times the loop is played again between 0→b and a→end (1: 0→b, a→b, a→end).',
    }),
    crossfadeMs: float(10, {
      min: 0,
      max: 1000,
      unit: 'ms',
      label: 'Crossfade',
      description: 'Length of the equal-power crossfade at each jump.',
    }),
  },
  runtime: 'cpu',
  cancellation: 'none',
  run: ({ audio, start, end }, params, ctx) => {
    const a = Math.round((start?.value ?? params.startColumn) * params.samplesPerColumn)
    const b = Math.round((end?.value ?? params.endColumn) * params.samplesPerColumn)
    const length = audio.channels[0]?.length ?? 0
    if (!(b > a) || a >= length) {
      // An empty loop plays the sound as it is (said, not failed: points often arrive later).
      ctx.progress(1, `no loop: [${a}, ${b}) samples is empty or past the end (${length})`)
      return { audio: { ...audio, channels: audio.channels.map((c) => c.slice()) } }
    }
    const fade = Math.round((params.crossfadeMs / 1000) * audio.sampleRate)
    const channels = audio.channels.map((c) => loopSignal(c, a, b, params.repeats, fade))
    const out: AudioValue = { kind: 'audio', sampleRate: audio.sampleRate, channels }
    return { audio: out }
  },
})
