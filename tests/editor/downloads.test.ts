import { describe, expect, it } from 'vitest'
import { registry } from '../../nodes'
import { downloadsFor } from '../../src/editor/preview/downloads'
import { GRAPH_FORMAT, GRAPH_VERSION, type GraphDocument } from '../../src/engine/document'
import type { AudioValue, FramesValue } from '../../src/engine/values'
import { readEmbeddedGraph } from '../../src/media/provenance'
import { decodeWav } from '../../src/media/wav'

/** A 0.1 s 440 Hz tone at 8 kHz, stereo. */
const tone: AudioValue = {
  kind: 'audio',
  sampleRate: 8000,
  channels: [0, 1].map(() =>
    Float32Array.from({ length: 800 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 8000)),
  ),
}

const graph = (type: string, params: Record<string, string>): GraphDocument => ({
  format: GRAPH_FORMAT,
  version: GRAPH_VERSION,
  nodes: [{ id: 'out', type, params, position: { x: 0, y: 0 }, mode: 'normal' }],
  edges: [],
})

describe('downloads of an output node are what its definition exports', () => {
  it('Audio Output: its name and format, carrying the graph, then NPY', async () => {
    const doc = graph('audio/output', { name: 'take 1', format: 'float32' })
    const list = downloadsFor({ audio: tone }, 'audio', doc.nodes[0], doc, registry)
    expect(list.map((d) => [d.label, d.fileName, d.mime])).toEqual([
      ['WAV', 'take 1.wav', 'audio/wav'],
      ['NPY', 'out-audio.npy', 'application/octet-stream'],
    ])
    const bytes = await list[0].make()
    const wav = decodeWav(bytes)
    expect(wav.sampleRate).toBe(8000)
    // float32: every sample exactly as it was.
    expect(wav.channels[1]).toEqual(tone.channels[1])
    const found = readEmbeddedGraph(bytes)
    expect(found.kind === 'found' && JSON.parse(found.graphText)).toEqual(doc)
  })

  it('any other node: WAV named after the node, 16-bit', async () => {
    const doc = graph('audio/mix', {})
    const list = downloadsFor({ audio: tone }, 'audio', doc.nodes[0], doc, registry)
    expect(list.map((d) => d.fileName)).toEqual(['out-audio.wav', 'out-audio.npy'])
    const wav = decodeWav(await list[0].make())
    // 16-bit: within half a step of 1/32768.
    const error = wav.channels[0].reduce(
      (m, v, i) => Math.max(m, Math.abs(v - tone.channels[0][i])),
      0,
    )
    expect(error).toBeLessThanOrEqual(0.5 / 32767 + 1e-7)
    expect(error).toBeGreaterThan(0)
  })

  it('Video Output: a WebM under its name beside its zip and soundtrack', () => {
    const video: FramesValue = {
      kind: 'frames',
      fps: 10,
      width: 4,
      height: 2,
      frames: [0, 1].map(() => [0, 1, 2].map(() => new Float32Array(8).fill(0.5))),
      audio: tone,
    }
    const doc = graph('frames/output', { name: 'clip' })
    const list = downloadsFor({ video }, 'video', doc.nodes[0], doc, registry)
    expect(list.map((d) => [d.label, d.fileName])).toEqual([
      ['WebM', 'clip.webm'],
      ['PNG zip', 'clip.zip'],
      ['WAV', 'clip.wav'],
      ['NPY', 'out-video.npy'],
    ])
  })
})
