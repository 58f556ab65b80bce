import { defineNode } from '../../src/engine/define-node'
import { CancelledError, UserError } from '../../src/engine/errors'
import { createRegistry } from '../../src/engine/registry'
import { file, float, int, seed } from '../../src/engine/params'
import {
  GRAPH_FORMAT,
  GRAPH_VERSION,
  type GraphDocument,
  type GraphNode,
} from '../../src/engine/document'

/** How many times each test node type has run, to assert what was (not) recomputed. */
export const runCounts = new Map<string, number>()
const count = (type: string) => runCounts.set(type, (runCounts.get(type) ?? 0) + 1)

const num = (value: number) => ({ kind: 'number' as const, value })

export const constant = defineNode({
  type: 'test/constant',
  version: 1,
  title: 'Constant',
  category: 'Test',
  description: 'A number.',
  inputs: {},
  outputs: { value: 'number' },
  params: { value: float(1) },
  runtime: 'cpu',
  run: (_inputs, { value }) => {
    count('test/constant')
    return { value: num(value) }
  },
})

export const add = defineNode({
  type: 'test/add',
  version: 1,
  title: 'Add',
  category: 'Test',
  description: 'a + b (b optional).',
  inputs: { a: 'number', b: { kind: 'number', optional: true } },
  outputs: { sum: 'number' },
  params: { offset: int(0, { min: -100, max: 100 }) },
  runtime: 'cpu',
  run: ({ a, b }, { offset }) => {
    count('test/add')
    return { sum: num(a.value + (b?.value ?? 0) + offset) }
  },
})

export const mixNumbers = defineNode({
  type: 'test/mix',
  version: 1,
  title: 'Mix numbers',
  category: 'Test',
  description: 'a + b: a must be connected but a muted source there is silence (0); b optional.',
  inputs: { a: { kind: 'number', mixable: true }, b: { kind: 'number', optional: true } },
  outputs: { sum: 'number' },
  params: {},
  runtime: 'cpu',
  run: ({ a, b }) => {
    count('test/mix')
    return { sum: num((a?.value ?? 0) + (b?.value ?? 0)) }
  },
})

export const fail = defineNode({
  type: 'test/fail',
  version: 1,
  title: 'Fail',
  category: 'Test',
  description: 'Always fails.',
  inputs: { a: 'number' },
  outputs: { value: 'number' },
  params: {},
  runtime: 'cpu',
  run: () => {
    count('test/fail')
    throw new UserError('This node always fails.', 'Remove it.')
  },
})

export const slow = defineNode({
  type: 'test/slow',
  version: 1,
  title: 'Slow',
  category: 'Test',
  description: 'Waits until cancelled or for `ms`.',
  inputs: { a: 'number' },
  outputs: { value: 'number' },
  params: { ms: int(10_000) },
  runtime: 'cpu',
  run: async ({ a }, { ms }, ctx) => {
    count('test/slow')
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms)
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer)
        reject(ctx.signal.reason instanceof Error ? ctx.signal.reason : new CancelledError())
      })
    })
    return { value: a }
  },
})

export const noise = defineNode({
  type: 'test/noise',
  version: 1,
  title: 'Noise',
  category: 'Test',
  description: 'A random number from the seed.',
  inputs: {},
  outputs: { value: 'number' },
  params: { seed: seed(0) },
  runtime: 'cpu',
  run: (_i, _p, ctx) => {
    count('test/noise')
    return { value: num(ctx.random()) }
  },
})

export const fileSize = defineNode({
  type: 'test/file-size',
  version: 1,
  title: 'File size',
  category: 'Test',
  description: 'The byte count of a file.',
  inputs: {},
  outputs: { value: 'number' },
  params: { file: file('audio') },
  runtime: 'cpu',
  run: (_i, { file }) => {
    count('test/file-size')
    if (!file) throw new UserError('No file chosen.')
    return { value: num(file.bytes.length) }
  },
})

export const toImage = defineNode({
  type: 'test/to-image',
  version: 1,
  title: 'To image',
  category: 'Test',
  description: 'A 1×1 image of the number.',
  inputs: { a: 'number' },
  outputs: { image: 'image' },
  params: {},
  runtime: 'cpu',
  run: ({ a }) => ({
    image: { kind: 'image', width: 1, height: 1, channels: [new Float32Array([a.value])] },
  }),
})

export const nanMaker = defineNode({
  type: 'test/nan',
  version: 1,
  title: 'NaN maker',
  category: 'Test',
  description: 'A buggy node.',
  inputs: {},
  outputs: { image: 'image' },
  params: {},
  runtime: 'cpu',
  run: () => ({
    image: { kind: 'image', width: 1, height: 1, channels: [new Float32Array([NaN])] },
  }),
})

export const echoAudio = defineNode({
  type: 'test/echo-audio',
  version: 1,
  title: 'Echo audio',
  category: 'Test',
  description: 'Its input audio, unchanged.',
  inputs: { audio: 'audio' },
  outputs: { audio: 'audio' },
  params: {},
  runtime: 'cpu',
  run: ({ audio }) => ({ audio }),
})

export const testRegistry = createRegistry([
  echoAudio,
  constant,
  add,
  mixNumbers,
  fail,
  slow,
  noise,
  fileSize,
  toImage,
  nanMaker,
])

type NodeSketch = Pick<GraphNode, 'id' | 'type'> & Partial<GraphNode>

/** A graph from node sketches and `from.port->to.port` edge strings. */
export function graphOf(nodes: NodeSketch[], edges: string[] = []): GraphDocument {
  return {
    format: GRAPH_FORMAT,
    version: GRAPH_VERSION,
    nodes: nodes.map((n) => ({ params: {}, position: { x: 0, y: 0 }, mode: 'normal', ...n })),
    edges: edges.map((e) => {
      const [from, to] = e.split('->')
      const [fn, fp] = from.split('.')
      const [tn, tp] = to.split('.')
      return { from: { node: fn, port: fp }, to: { node: tn, port: tp } }
    }),
  }
}

/**
 * A sound made into a video: Load Audio → Spectrum Frames → Spectrum Picture → Frames Adjust
 * (autocontrast) → Video Output named "clip", with the sound as its soundtrack. The frames
 * stream and render farm tests and the farm bench render it at their own sizes.
 */
export function spectrumVideoGraph(o: {
  fps: number
  bins: number
  fftSize: number
  width: number
  height: number
  seed?: number
}): GraphDocument {
  const draw = {
    width: o.width,
    height: o.height,
    ...(o.seed === undefined ? {} : { seed: o.seed }),
  }
  return graphOf(
    [
      { id: 'load', type: 'audio/load' },
      {
        id: 'spectra',
        type: 'frames/spectrum',
        params: { fps: o.fps, bins: o.bins, fftSize: o.fftSize },
      },
      { id: 'draw', type: 'frames/draw-spectrum', params: draw },
      { id: 'adjust', type: 'frames/adjust', params: { operation: 'autocontrast' } },
      { id: 'video', type: 'frames/output', params: { name: 'clip' } },
    ],
    [
      'load.audio->spectra.audio',
      'spectra.spectra->draw.spectra',
      'draw.frames->adjust.frames',
      'adjust.frames->video.frames',
      'load.audio->video.audio',
    ],
  )
}
