import { describe, expect, it } from 'vitest'
import { registry } from '../../nodes'
import { GRAPH_FORMAT, type GraphDocument } from '../../src/engine/document'
import { sha256Hex } from '../../src/engine/hash'
import { graphInFile } from '../../src/media/graph-file'
import { audioOutputFile, imageOutputFile } from '../../src/media/output-files'
import { decodePng, readPngText } from '../../src/media/png'
import {
  collectProvenance,
  GRAPH_TEXT_KEY,
  parseProvenance,
  pngProvenanceText,
  PROVENANCE_TEXT_KEY,
  readEmbeddedGraph,
  WAV_GRAPH_CHUNK,
  wavProvenanceChunks,
} from '../../src/media/provenance'
import { decodeWav, encodeWav, readWavChunks } from '../../src/media/wav'

const node = (id: string, type: string, params = {}, mode: 'normal' | 'bypass' = 'normal') => ({
  id,
  type,
  params,
  position: { x: 0, y: 0 },
  mode,
})

const graph: GraphDocument = {
  format: GRAPH_FORMAT,
  version: 2,
  name: 'Prövenance ✓',
  nodes: [
    node('load', 'audio/load', { file: 'sample:synesthete-demo.wav' }),
    node('mine', 'audio/load', { file: `blob:${'b'.repeat(64)}/my%20take.wav` }),
    node('stft', 'dsp/stft'),
    node('pic', 'dsp/normalize'),
    node('sd', 'ml/stable-diffusion', { model: 'sd-turbo', modelB: 'lcm-dreamshaper-v7', seed: 7 }),
    node('gl', 'dsp/griffin-lim', { seed: 42 }),
    node('skipped', 'dsp/griffin-lim', { seed: 99 }, 'bypass'),
    node('out', 'audio/output'),
    node('outMine', 'audio/output'),
  ],
  edges: [
    { from: { node: 'load', port: 'audio' }, to: { node: 'stft', port: 'audio' } },
    { from: { node: 'stft', port: 'spectrogram' }, to: { node: 'pic', port: 'spectrogram' } },
    { from: { node: 'pic', port: 'image' }, to: { node: 'sd', port: 'image' } },
    { from: { node: 'sd', port: 'image' }, to: { node: 'gl', port: 'image' } },
    { from: { node: 'gl', port: 'audio' }, to: { node: 'out', port: 'audio' } },
    { from: { node: 'mine', port: 'audio' }, to: { node: 'outMine', port: 'audio' } },
  ],
}

const bytes = new TextEncoder().encode('the source sound')
const files = (ref: string) =>
  ref.startsWith('sample:')
    ? Promise.resolve({ name: 'synesthete-demo.wav', bytes })
    : Promise.reject(new Error('not here'))

const audio = { sampleRate: 8000, channels: [new Float32Array([0, 0.5, -0.5, 0.25])] }
const image = { width: 2, height: 1, channels: [new Float32Array([0, 1])] }

describe('provenance records', () => {
  it('list the source hashes, model ids and seeds of the nodes that feed an output', async () => {
    const record = await collectProvenance(graph, registry, {
      output: 'out',
      files,
      now: new Date('2025-01-02T03:04:05Z'),
    })
    expect(record).toMatchObject({ output: 'out', createdAt: '2025-01-02T03:04:05.000Z' })
    expect(record.sources).toEqual([
      {
        node: 'load',
        param: 'file',
        ref: 'sample:synesthete-demo.wav',
        name: 'synesthete-demo.wav',
        sha256: await sha256Hex(bytes),
      },
    ])
    expect(record.models).toEqual([
      { node: 'sd', param: 'model', model: 'sd-turbo' },
      { node: 'sd', param: 'modelB', model: 'lcm-dreamshaper-v7' },
    ])
    // The bypassed node runs nothing, so its seed made nothing.
    expect(record.seeds).toEqual([
      { node: 'sd', param: 'seed', seed: 7 },
      { node: 'gl', param: 'seed', seed: 42 },
    ])
  })

  it('take a browser file’s hash from its reference, and list an unreadable file without one', async () => {
    const mine = await collectProvenance(graph, registry, { output: 'outMine', files })
    expect(mine.sources).toEqual([
      {
        node: 'mine',
        param: 'file',
        ref: graph.nodes[1].params.file,
        name: 'my take.wav',
        sha256: 'b'.repeat(64),
      },
    ])
    const lost = {
      ...graph,
      nodes: [node('load', 'audio/load', { file: 'file:/gone.wav' })],
      edges: [],
    }
    const record = await collectProvenance(lost, registry, { files })
    expect(record.sources).toEqual([
      { node: 'load', param: 'file', ref: 'file:/gone.wav', name: 'gone.wav' },
    ])
  })
})

describe('files that carry their graph', () => {
  it('PNG: the graph and the record in text chunks, pixels unchanged', async () => {
    const record = await collectProvenance(graph, registry, { output: 'out', files })
    const file = imageOutputFile(image, { name: 'p' }, pngProvenanceText(graph, record))
    const text = readPngText(file.bytes)
    expect(JSON.parse(text[GRAPH_TEXT_KEY])).toEqual(graph)
    expect(parseProvenance(text[PROVENANCE_TEXT_KEY])).toEqual(record)
    expect(decodePng(file.bytes).channels[0]).toEqual(image.channels[0])
    const found = readEmbeddedGraph(file.bytes)
    expect(found.kind === 'found' && JSON.parse(found.graphText)).toEqual(graph)
  })

  it('WAV: syGr and syPv chunks plus LIST/INFO naming the software, samples unchanged', async () => {
    const record = await collectProvenance(graph, registry, { output: 'out', files })
    const file = audioOutputFile(
      audio,
      { name: 'a', format: 'float32' },
      wavProvenanceChunks(graph, record),
    )
    const chunks = readWavChunks(file.bytes)
    expect(chunks.map((c) => c.id)).toEqual(['LIST', 'syGr', 'syPv'])
    expect(new TextDecoder().decode(chunks[0].data)).toMatch(/^INFOISFT.*Synesthete/)
    expect(decodeWav(file.bytes).channels[0]).toEqual(audio.channels[0])
    const found = readEmbeddedGraph(file.bytes)
    expect(found).toMatchObject({ kind: 'found', container: 'wav', provenance: record })
  })

  it('say plainly when a file has no graph, is damaged, or is something else', async () => {
    const plainWav = encodeWav(audio, 'pcm16')
    expect(await graphInFile(plainWav, 'take.wav')).toMatchObject({
      kind: 'no-graph',
      message: /carries no Synesthete graph/,
    })
    const broken = encodeWav(audio, 'pcm16', [
      { id: WAV_GRAPH_CHUNK, data: new Uint8Array([0xff, 0xfe]) },
    ])
    expect(await graphInFile(broken, 'x.wav')).toMatchObject({ kind: 'unreadable' })
    expect(await graphInFile(new TextEncoder().encode('%PDF-1.7'), 'x.pdf')).toMatchObject({
      message: /a PDF document/,
    })
    // Judged by content: a document that opens with "{" but is not UTF-8 further on.
    const notText = new Uint8Array(2000).fill(0x20)
    notText[0] = 0x7b
    notText[1500] = 0xff
    expect(await graphInFile(notText, 'x.bin')).toMatchObject({
      kind: 'unreadable',
      message: /not text/,
    })
    const big = new Uint8Array(5_000_001).fill(32)
    big[0] = 0x7b
    expect(await graphInFile(big, 'big.txt')).toMatchObject({ message: /at most 5 MB/ })
  })

  it('ignore a provenance record that is malformed or hostile', () => {
    expect(parseProvenance('{"format":"synesthete-provenance"')).toBeUndefined()
    expect(parseProvenance('{"format":"other","version":1}')).toBeUndefined()
    expect(
      parseProvenance(
        JSON.stringify({ format: 'synesthete-provenance', version: 1, sources: 'x' }),
      ),
    ).toBeUndefined()
  })
})
