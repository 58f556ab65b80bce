import { allNodes } from '../../../nodes/index'
import { griffinLim } from '../../../src/dsp/griffin-lim'
import { defineNode } from '../../../src/engine/define-node'
import { UserError } from '../../../src/engine/errors'
import { choice, float, int } from '../../../src/engine/params'
import { createRegistry } from '../../../src/engine/registry'
import type { AudioValue } from '../../../src/engine/values'
import { doubleOnGpu } from './gpu-double'

/**
 * Nodes for the runtime's browser tests, registered only in the harness: slow, stuck,
 * crashing and GPU nodes that no user should ever see. The real nodes are included too.
 */

const tone = defineNode({
  type: 'e2e/tone',
  version: 1,
  title: 'Tone',
  category: 'Test',
  description: 'A stereo sine at 44.1 kHz.',
  inputs: {},
  outputs: { audio: 'audio' },
  params: { seconds: float(1), frequencyHz: float(440) },
  runtime: 'cpu',
  run: (_inputs, { seconds, frequencyHz }) => {
    const sampleRate = 44100
    const left = new Float32Array(Math.round(seconds * sampleRate))
    const step = (2 * Math.PI * frequencyHz) / sampleRate
    for (let i = 0; i < left.length; i++) left[i] = 0.5 * Math.sin(step * i)
    return { audio: { kind: 'audio', sampleRate, channels: [left, left.map((v) => -v)] } }
  },
})

const gain = defineNode({
  type: 'e2e/gain',
  version: 1,
  title: 'Gain',
  category: 'Test',
  description: 'Multiplies every sample.',
  inputs: { audio: 'audio' },
  outputs: { audio: 'audio' },
  params: { factor: float(0.5) },
  runtime: 'cpu',
  run: ({ audio }, { factor }) => ({
    audio: { ...audio, channels: audio.channels.map((c) => c.map((v) => v * factor)) },
  }),
})

/** Gives back its input untouched: measures the cost of moving values to a worker and back. */
const pass = defineNode({
  type: 'e2e/pass',
  version: 1,
  title: 'Pass',
  category: 'Test',
  description: 'Outputs its input.',
  inputs: { audio: 'audio' },
  outputs: { audio: 'audio' },
  params: {},
  runtime: 'cpu',
  run: ({ audio }) => ({ audio }),
})

/** The project's real Griffin-Lim on a synthetic magnitude: checks the signal every iteration. */
const griffin = defineNode({
  type: 'e2e/griffin-lim',
  version: 1,
  title: 'Griffin-Lim (test)',
  category: 'Test',
  description: 'src/dsp/griffin-lim on a made-up spectrogram.',
  inputs: {},
  outputs: { audio: 'audio' },
  params: { iterations: int(32, { min: 1, max: 100_000 }), frames: int(200) },
  runtime: 'cpu',
  run: (_inputs, { iterations, frames }, ctx) => {
    const fftSize = 1024
    const bins = fftSize / 2 + 1
    const magnitude = new Float32Array(bins * frames)
    for (let k = 0; k < bins; k++) {
      for (let t = 0; t < frames; t++) magnitude[k * frames + t] = k % 40 === 0 ? 1 : 0.01
    }
    const { waveform } = griffinLim(magnitude, {
      fftSize,
      hopSize: 256,
      window: 'hann',
      iterations,
      momentum: 0.99,
      init: 'random-phase',
      random: () => ctx.random(),
      signal: ctx.signal,
      onIteration: (i) => ctx.progress(i / iterations, `iteration ${i}`),
    })
    return { audio: { kind: 'audio', sampleRate: 22050, channels: [waveform] } }
  },
})

const spin = defineNode({
  type: 'e2e/spin',
  version: 1,
  title: 'Spin',
  category: 'Test',
  description: 'Keeps a core busy for `ms`, checking cancellation; `respond: false` ignores it.',
  inputs: {},
  outputs: { value: 'number' },
  params: { ms: int(1000, { min: 0, max: 600_000 }), respond: choice('yes', ['yes', 'no']) },
  runtime: 'cpu',
  run: (_inputs, { ms, respond }, ctx) => {
    const until = performance.now() + ms
    let laps = 0
    while (performance.now() < until) {
      if (respond === 'yes') ctx.signal.throwIfAborted()
      if (++laps % 100_000 === 0) ctx.progress(1 - (until - performance.now()) / ms)
    }
    return { value: { kind: 'number', value: laps } }
  },
})

const crash = defineNode({
  type: 'e2e/crash',
  version: 1,
  title: 'Crash',
  category: 'Test',
  description: 'Takes its worker down after `ms`: an uncaught error, or the worker closing itself.',
  inputs: {},
  outputs: { value: 'number' },
  params: { ms: int(300), how: choice('throw', ['throw', 'close']) },
  runtime: 'cpu',
  run: (_inputs, { ms, how }) =>
    new Promise<never>(() => {
      setTimeout(() => {
        if (how === 'close') (self as unknown as { close(): void }).close()
        else throw new Error('e2e crash node: uncaught error in the worker')
      }, ms)
    }),
})

const fail = defineNode({
  type: 'e2e/fail',
  version: 1,
  title: 'Fail',
  category: 'Test',
  description: 'Always refuses, with a hint.',
  inputs: {},
  outputs: { value: 'number' },
  params: {},
  runtime: 'cpu',
  run: () => {
    throw new UserError('This test node always refuses.', 'Remove it from the graph.')
  },
})

/** Doubles every sample on the GPU worker's WebGPU device, or on the CPU as "wasm". */
const gpuDouble = defineNode({
  type: 'e2e/gpu-double',
  version: 1,
  title: 'GPU double',
  category: 'Test',
  description: 'A WebGPU compute shader; reports which provider ran.',
  inputs: { audio: 'audio' },
  outputs: { audio: 'audio', info: 'text' },
  params: { provider: choice('webgpu', ['webgpu', 'wasm']) },
  runtime: 'gpu',
  run: async ({ audio }, { provider }, ctx) => {
    const picture = { kind: 'image' as const, width: 1, height: 1, channels: [new Float32Array(1)] }
    ctx.preview?.(picture) // as the diffusion node does per step
    const { channels, info, reason } = await doubleOnGpu(audio.channels, provider)
    ctx.report?.({
      providers: [
        { network: 'e2e/gpu-double', provider: info.provider, ...(reason && { note: reason }) },
      ],
    })
    const out: AudioValue = { ...audio, channels }
    return { audio: out, info: { kind: 'text', value: JSON.stringify(info) } }
  },
})

export const harnessNodes = [tone, gain, pass, griffin, spin, crash, fail, gpuDouble]
export const harnessRegistry = createRegistry([...allNodes, ...harnessNodes])
