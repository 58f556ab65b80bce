import { describe, expect, it } from 'vitest'
import { griffinLim } from '../../nodes/griffin-lim'
import { phaseVocoder } from '../../nodes/phase-vocoder'
import { resizeImage } from '../../nodes/resize-image'
import { riffusionDecode } from '../../nodes/riffusion-decode'
import { stft } from '../../nodes/stft'
import {
  estimateProblem,
  formatBytes,
  machineCapacity,
  realFftOps,
  type MachineCapacity,
} from '../../src/engine/capacity'
import { defineNode, type AnyNodeDefinition } from '../../src/engine/define-node'
import { execute } from '../../src/engine/executor'
import { int } from '../../src/engine/params'
import { createRegistry } from '../../src/engine/registry'
import type { AudioValue, ImageValue } from '../../src/engine/values'
import { defaultParams } from '../helpers/run-context'
import { graphOf } from '../helpers/test-nodes'

const GB = 2 ** 30
const machine = (gb: number): MachineCapacity => ({
  memoryBytes: gb * GB,
  memorySource: 'this machine has',
})

/** Only sizes matter to an estimate: planes of the right count, never allocated at full size. */
const picture = (width: number, height: number, count: number): ImageValue => ({
  kind: 'image',
  width,
  height,
  channels: Array.from({ length: count }, () => new Float32Array(0)),
})
const sound = (length: number, count: number, sampleRate = 44100): AudioValue => ({
  kind: 'audio',
  sampleRate,
  channels: Array.from({ length: count }, () => new Float32Array(length)),
})

function estimateOf<D extends AnyNodeDefinition>(
  def: D,
  inputs: Record<string, unknown>,
  params: Record<string, unknown>,
) {
  return def.estimate!(inputs, { ...defaultParams(def.params), ...params })
}

describe('the executor checks a node’s estimate before running it', () => {
  let ran = 0
  const hungry = defineNode({
    type: 'test/hungry',
    version: 1,
    title: 'Hungry',
    category: 'Test',
    description: 'Needs `gb` gigabytes, by its own estimate.',
    inputs: {},
    outputs: { value: 'number' },
    params: { gb: int(1, { min: 0, max: 1000 }) },
    runtime: 'cpu',
    estimate: (_inputs, { gb }) => ({ bytes: gb * GB, detail: `${gb} tables` }),
    run: () => {
      ran++
      return { value: { kind: 'number', value: 1 } }
    },
  })
  const registry = createRegistry([hungry])
  const files = () => Promise.reject(new Error('no files'))

  it('refuses, with the estimate and the machine in words, and never calls run', async () => {
    const graph = graphOf([{ id: 'h', type: 'test/hungry', params: { gb: 30 } }])
    const result = await execute(graph, { registry, files, capacity: machine(24) })
    expect(result.results.get('h')).toMatchObject({
      state: 'error',
      error: {
        message:
          'Hungry: this needs about 30 GB of memory (30 tables); this machine has 24 GB, and a node may use 75 % of it.',
        hint: 'Lower the sizes or counts named above, or split the work into parts.',
      },
    })
    expect(ran).toBe(0)
  })

  it('runs what fits', async () => {
    const graph = graphOf([{ id: 'h', type: 'test/hungry', params: { gb: 9 } }])
    const result = await execute(graph, { registry, files, capacity: machine(24) })
    expect(result.results.get('h')?.state).toBe('done')
    expect(ran).toBe(1)
  })

  it('knows this machine: os.totalmem() headless', async () => {
    const os = await import('node:os')
    expect(machineCapacity()).toEqual({
      memoryBytes: os.totalmem(),
      memorySource: 'this machine has',
    })
  })
})

describe('heavy nodes estimate their memory and work from sizes and params', () => {
  it('Resize Image at its documented maximum, 16384², RGBA', () => {
    const estimate = estimateOf(
      resizeImage,
      { image: picture(512, 512, 4) },
      {
        width: 16384,
        height: 16384,
      },
    )
    // Per channel 4 B + 1 B per output pixel, and a 4 B copy of each for the cache: 9 B × 2^28.
    const outPx = 16384 ** 2
    expect(estimate.bytes).toBeGreaterThan(4 * 9 * outPx)
    expect(estimate.bytes).toBeLessThan(4 * 9.2 * outPx) // the rest is the 512² input
    expect(estimate.detail).toBe('4 channels of 16384 × 16384 pixels')
    // Measured: 4.5 GB peak RSS for the run alone on the 24 GB machine, under the estimate.
    expect(estimateProblem('Resize Image', estimate, machine(24))).toBeUndefined()
    // A browser that reports 8 GB (navigator.deviceMemory's maximum) cannot.
    expect(estimateProblem('Resize Image', estimate, machine(8))?.message).toBe(
      'Resize Image: this needs about 9.1 GB of memory (4 channels of 16384 × 16384 pixels); ' +
        'this machine has 8.0 GB, and a node may use 75 % of it.',
    )
  })

  it('Griffin-Lim at 1000 iterations, FFT 32768, 8192 columns: refused for time, not left to run for hours', () => {
    const estimate = estimateOf(
      griffinLim,
      { image: picture(8192, 300, 3) },
      {
        iterations: 1000,
        fftSize: 32768,
      },
    )
    // 3 colours × 1000 × 8192 columns × (inverse + forward) × 2.5·32768·15 operations.
    const ops = 3 * 1000 * 8192 * 2 * realFftOps(32768)
    expect(realFftOps(32768)).toBe(2.5 * 32768 * 15)
    expect(estimate.seconds).toBeCloseTo(ops / 2e9, 6)
    // Memory: the picture, 24 B per cell of 16385 bins × 8192 columns for one colour at a time,
    // 20 B per sample of working signals and 4 B per sample of each colour's result (134 M
    // samples: 93 min at 24 kHz). About 7 GB: it would fit in 24.
    const samples = 32768 + 16384 * 8192
    expect(estimate.bytes).toBe(4 * 8192 * 300 * 3 + 24 * 16385 * 8192 + (20 + 3 * 4) * samples)
    expect(estimateProblem('Griffin-Lim', estimate, machine(24))?.message).toBe(
      'Griffin-Lim: this would take about 8 h (1000 iterations × 8192 columns × FFT 32768 × 3 colours); the limit for one node is 2 h.',
    )
    // The notebook's own size is nowhere near.
    const notebook = estimateOf(griffinLim, { image: picture(400, 300, 3) }, {})
    expect(notebook.seconds!).toBeLessThan(5)
    expect(estimateProblem('Griffin-Lim', notebook, machine(4))).toBeUndefined()
  })

  it('Riffusion Decode, STFT and Time Stretch give figures that grow with their sizes', () => {
    const riff = (iterations: number, width: number) =>
      estimateOf(riffusionDecode, { image: picture(width, 512, 3) }, { iterations })
    expect(riff(1000, 8192).seconds!).toBeGreaterThan(100 * riff(10, 8192).seconds! * 0.99)
    expect(riff(32, 512).seconds!).toBeLessThan(60)

    const spectrum = (fftSize: number, seconds: number) =>
      estimateOf(stft, { audio: sound(seconds * 44100, 2) }, { fftSize })
    const minute = spectrum(512, 60)
    // 2 channels × (257 bins × 10,337 frames × 8 B + 4 B a sample) + the averaged values.
    const frames = Math.floor((60 * 44100) / 256) + 1
    expect(minute.bytes).toBe(2 * (4 * 60 * 44100 + 8 * 257 * frames) + 4 * 257 * frames)
    expect(estimateProblem('Spectrogram', minute, machine(4))).toBeUndefined()

    const stretched = estimateOf(phaseVocoder, { audio: sound(10 * 44100, 1) }, { stretch: 10 })
    const plain = estimateOf(phaseVocoder, { audio: sound(10 * 44100, 1) }, { stretch: 1 })
    expect(stretched.bytes).toBeGreaterThan(3 * plain.bytes)
  })

  it('Time Stretch counts what its WASM stretch holds: the sound, the result and a few MB', () => {
    // 3 min of stereo ×3 at 512/128 (measured: inputs and results 242 MB, the module grew by
    // 4 MB, JavaScript's steps 2 MB). Steps: ⌈(⌊7,938,000 / 128⌋ + 1) · 3⌉ = 186,048.
    const length = 180 * 44100
    const steps = 186048
    const estimate = estimateOf(phaseVocoder, { audio: sound(length, 2) }, {})
    const windows = 4 * (4096 * 128 + 512 + (Math.ceil(4096 / 3 + 8) * 128 + 512))
    expect(estimate.bytes).toBe(2 * 4 * (length + 3 * length) + 24 * steps + windows)
    expect(formatBytes(estimate.bytes)).toBe('249 MB')
    // Ten times the sound: ten times the arrays in and out, the module's windows the same.
    const long = estimateOf(phaseVocoder, { audio: sound(10 * length, 2) }, {})
    expect(long.bytes - 10 * 2 * 4 * 4 * length).toBeLessThan(2 * windows + 24 * 10 * steps)
    // A size the mixed-radix FFT does not take (1031, prime) runs JavaScript: the whole sum too.
    const js = estimateOf(phaseVocoder, { audio: sound(length, 2) }, { fftSize: 1031 })
    const jsSteps = Math.ceil((Math.floor(length / 128) + 1) * 3)
    expect(js.bytes).toBe(2 * 4 * 4 * length + 12 * jsSteps + 4 * (1031 + 128 * (jsSteps - 1)))
  })

  it('refuses one array larger than V8 allows, whatever the memory', () => {
    const problem = estimateProblem(
      'Test',
      { bytes: 5 * GB, largestArrayBytes: 5 * GB, detail: 'one huge plane' },
      machine(1024),
    )
    expect(problem?.message).toBe(
      'Test: this would need one array of 5.0 GB (one huge plane); the most one array can hold is 4.0 GB.',
    )
  })

  it('speaks in sizes people read', () => {
    expect(formatBytes(9.04 * GB)).toBe('9.0 GB')
    expect(formatBytes(24 * GB)).toBe('24 GB')
    expect(formatBytes(300 * 2 ** 20)).toBe('300 MB')
  })
})
