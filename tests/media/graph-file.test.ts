import { zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { GRAPH_FORMAT, type GraphDocument } from '../../src/engine/document'
import { shareUrl } from '../../src/engine/share-link'
import type { FramesValue } from '../../src/engine/values'
import { framesZip } from '../../src/media/frames-export'
import { graphInFile } from '../../src/media/graph-file'
import { encodePng } from '../../src/media/png'
import { GRAPH_TEXT_KEY, WAV_GRAPH_CHUNK } from '../../src/media/provenance'
import { encodeWav } from '../../src/media/wav'

const graph: GraphDocument = {
  format: GRAPH_FORMAT,
  version: 2,
  name: 'By content',
  nodes: [{ id: 'load', type: 'audio/load', params: {}, position: { x: 0, y: 0 }, mode: 'normal' }],
  edges: [],
}
const json = JSON.stringify(graph)
const bytes = (text: string) => new TextEncoder().encode(text)
const text = { [GRAPH_TEXT_KEY]: json }
const png = encodePng({ width: 2, height: 1, channels: [Float32Array.of(0, 1)] }, text)
const wav = encodeWav({ sampleRate: 8000, channels: [new Float32Array(8)] }, 'pcm16', [
  { id: WAV_GRAPH_CHUNK, data: bytes(json) },
])

const graphOf = async (file: Uint8Array, name: string) => {
  const found = await graphInFile(file, name)
  if (found.kind !== 'graph') throw new Error(found.message)
  return { ...found, graph: JSON.parse(found.text) as unknown }
}

describe('graphInFile judges a file by its content, not its name', () => {
  it('opens a graph document whatever it is called', async () => {
    for (const name of ['graph.json', 'graph.txt', 'graph', 'photo.png'])
      expect(await graphOf(bytes(json), name)).toMatchObject({ container: 'json', graph })
  })

  it('opens the graph a PNG or WAV carries under any name', async () => {
    expect(await graphOf(png, 'graph.json')).toMatchObject({ container: 'png', graph })
    expect(await graphOf(wav, 'notes.txt')).toMatchObject({ container: 'wav', graph })
  })

  it('opens a share link saved as text: the whole address or its #graph= part', async () => {
    const url = await shareUrl('https://example.org/synesthete/', graph)
    for (const saved of [url, `\n  ${url}\n`, url.slice(url.indexOf('#'))])
      expect(await graphOf(bytes(saved), 'link.txt')).toMatchObject({
        container: 'json',
        via: { link: true },
        graph,
      })
    const damaged = await graphInFile(bytes(`${url.slice(0, -12)}!!!!`), 'link.txt')
    expect(damaged).toMatchObject({
      kind: 'unreadable',
      message: /^“link\.txt” holds a share link: The link is damaged/,
    })
  })

  it('opens the graph of a zip exported by Synesthete: stored frames, or deflated by a zip tool', async () => {
    const frames: FramesValue = {
      kind: 'frames',
      fps: 12,
      width: 2,
      height: 1,
      frames: [[Float32Array.of(0, 1)], [Float32Array.of(1, 0)]],
    }
    const stored = framesZip(frames, 'clip', text).bytes
    expect(await graphOf(stored, 'clip.zip')).toMatchObject({
      container: 'png',
      via: { zip: 'clip/000001.png' },
      graph,
    })
    // A zip tool's archive: deflated, a text file first, the WAV after it.
    const deflated = zipSync({ 'readme.txt': bytes('takes'), 'take.wav': wav }, { level: 6 })
    expect(await graphOf(deflated, 'takes.zip')).toMatchObject({
      container: 'wav',
      via: { zip: 'take.wav' },
      graph,
    })
  })

  it('says why a zip gives no graph, or that it is damaged', async () => {
    const texts = zipSync({ 'a.txt': bytes('a'), 'b.txt': bytes('b') })
    expect(await graphInFile(texts, 'texts.zip')).toMatchObject({
      kind: 'no-graph',
      message: /^“texts\.zip” is a zip archive, but it holds no PNG or WAV\. A graph is/,
    })
    const plain = encodePng({ width: 1, height: 1, channels: [Float32Array.of(0)] })
    expect(await graphInFile(zipSync({ 'p.png': plain }, { level: 0 }), 'p.zip')).toMatchObject({
      kind: 'no-graph',
      message: /its first PNG or WAV carries no Synesthete graph/,
    })
    const cut = framesZip(
      { kind: 'frames', fps: 1, width: 1, height: 1, frames: [[Float32Array.of(0)]] },
      'c',
    ).bytes.slice(0, 60)
    expect(await graphInFile(cut, 'cut.zip')).toMatchObject({
      kind: 'unreadable',
      message: /“cut\.zip” is a damaged zip archive/,
    })
  })

  it('tells text that is neither a document nor a link what a graph is', async () => {
    expect(await graphInFile(bytes('just some notes\nabout a graph'), 'graph.json')).toEqual({
      kind: 'no-graph',
      message:
        '“graph.json” is plain text. A graph is a JSON document or a share link, or a PNG, WAV or zip of them exported by Synesthete.',
    })
  })
})
