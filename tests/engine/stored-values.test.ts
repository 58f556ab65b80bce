import { describe, expect, it } from 'vitest'
import { MemoryCache, TieredCache, type ValueCache } from '../../src/engine/cache'
import type { Computed, NodeOutputs } from '../../src/engine/codec'
import { defineNode } from '../../src/engine/define-node'
import { execute, type ExecutionEvent } from '../../src/engine/executor'
import { checkOutputs } from '../../src/engine/runner'
import type { AudioValue, ImageValue, LatentValue } from '../../src/engine/values'
import { storedValueProblem } from '../../src/engine/values'
import { graphOf, testRegistry } from '../helpers/test-nodes'

const image = (values: number[]): ImageValue => ({
  kind: 'image',
  width: values.length,
  height: 1,
  channels: [new Float32Array(values)],
})

/** Squares each pixel: float32 overflows to infinity past about 1.8e19. */
const square = defineNode({
  type: 'test/square',
  version: 1,
  title: 'Square',
  category: 'Test',
  description: 'Each pixel squared.',
  inputs: { image: 'image' },
  outputs: { image: 'image' },
  params: {},
  runtime: 'cpu',
  run: ({ image: input }) => ({
    image: { ...input, channels: input.channels.map((c) => c.map((v) => v * v)) },
  }),
})

describe('checks on node outputs', () => {
  it('blames extreme input data, not the node, when the output overflows', () => {
    const huge = image([0.5, 1e38])
    const outputs = { image: image([0.25, Infinity]) }
    expect(() => checkOutputs(square, outputs, { image: huge })).toThrow(
      /Square: its output "image" overflowed to infinity or NaN because the input "image" holds values as large as 1\.0e\+38, too large to compute with\./,
    )
  })

  it('points at a param or the node when ordinary inputs give NaN', () => {
    const outputs = { image: image([NaN, 0]) }
    expect(() => checkOutputs(square, outputs, { image: image([0.5, 0.1]) })).toThrow(
      /Square produced NaN or infinite values on output "image" from ordinary inputs\./,
    )
  })

  it('refuses an output whose arrays do not match its size, as a bug in the node', () => {
    const lying: ImageValue = {
      kind: 'image',
      width: 4,
      height: 4,
      channels: [new Float32Array(3)],
    }
    expect(() => checkOutputs(square, { image: lying })).toThrow(
      /its output "image" has a channel that is not 4 × 4 \(a bug in the node\)/,
    )
  })

  it('names what makes a stored value unusable', () => {
    expect(storedValueProblem(image([0, 1]))).toBeUndefined()
    expect(storedValueProblem(image([0, NaN]))).toBe('holds NaN or infinite values')
    const audio: AudioValue = { kind: 'audio', sampleRate: 0, channels: [new Float32Array(4)] }
    expect(storedValueProblem(audio)).toBe('has a sample rate of 0')
    const uneven: AudioValue = {
      ...audio,
      sampleRate: 8000,
      channels: [new Float32Array(4), new Float32Array(3)],
    }
    expect(storedValueProblem(uneven)).toBe('has channels of unequal length')
    const latent: LatentValue = { kind: 'latent', shape: [1, 4, 8, 8], data: new Float32Array(255) }
    expect(storedValueProblem(latent)).toBe('holds 255 numbers, not [1, 4, 8, 8]')
  })
})

describe('cache hits pass the checks fresh results pass', () => {
  it('takes a damaged entry from the persistent tier as a miss and says which', async () => {
    const slow = new MemoryCache()
    const damaged: string[] = []
    const tiered = new TieredCache(new MemoryCache(), slow, (key, problem) =>
      damaged.push(`${key}: ${problem}`),
    )
    await slow.set('nan', { outputs: { image: image([0.5, NaN]) } })
    await slow.set('lying', { outputs: { image: { ...image([0.5]), width: 7 } } })
    await slow.set('fine', { outputs: { image: image([0.5]) } })
    expect(await tiered.get('nan')).toBeUndefined()
    expect(await tiered.get('lying')).toBeUndefined()
    expect((await tiered.get('fine'))?.outputs).toEqual({ image: image([0.5]) })
    expect(damaged).toEqual([
      'nan: its output "image" holds NaN or infinite values',
      'lying: its output "image" has a channel that is not 7 × 1',
    ])
  })

  it('recomputes a node whose cache entry is not this node’s outputs, with a warning', async () => {
    const graph = graphOf([{ id: 'x', type: 'test/constant', params: { value: 2 } }])
    const first = await execute(graph, {
      registry: testRegistry,
      files: () => Promise.reject(new Error('no files')),
    })
    const key = first.results.get('x')?.key ?? ''
    const wrong = new Map<string, NodeOutputs>([[key, { image: image([1]) }]])
    const cache: ValueCache = {
      get: (k: string) => {
        const outputs = wrong.get(k)
        return Promise.resolve(outputs && { outputs })
      },
      set: (k: string, v: Computed) => Promise.resolve(void wrong.set(k, v.outputs)),
    }
    const events: ExecutionEvent[] = []
    const again = await execute(graph, {
      registry: testRegistry,
      files: () => Promise.reject(new Error('no files')),
      cache,
      onEvent: (e) => events.push(e),
    })
    expect(again.results.get('x')?.state).toBe('done')
    expect(again.results.get('x')?.outputs?.value).toEqual({ kind: 'number', value: 2 })
    expect(wrong.get(key)).toEqual({ value: { kind: 'number', value: 2 } })
    const warnings = events.filter((e) => e.type === 'warning').map((e) => e.message)
    expect(warnings).toEqual([
      'The cached result has no number output "value"; computing it again.',
    ])
  })
})
