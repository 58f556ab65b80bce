import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { render } from '../../src/cli/render'
import { GRAPH_FORMAT, type GraphDocument } from '../../src/engine/document'
import { readEmbeddedGraph } from '../../src/media/provenance'
import { encodePng } from '../../src/media/png'
import { fixturePath } from '../helpers/fixtures'

function capture() {
  const out: string[] = []
  const err: string[] = []
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err }
}

const at = (x: number) => ({ x, y: 0 })
const graph: GraphDocument = {
  format: GRAPH_FORMAT,
  version: 1,
  name: 'Round trip',
  nodes: [
    { id: 'load', type: 'audio/load', params: {}, position: at(0), mode: 'normal' },
    {
      id: 'stft',
      type: 'dsp/stft',
      params: { fftSize: 256 },
      position: at(300),
      mode: 'normal',
    },
    {
      id: 'pic',
      type: 'dsp/normalize',
      params: { width: 64, height: 32 },
      position: at(600),
      mode: 'normal',
    },
    { id: 'png', type: 'image/output', params: { name: 'pic' }, position: at(900), mode: 'normal' },
    { id: 'wav', type: 'audio/output', params: { name: 'snd' }, position: at(900), mode: 'normal' },
  ],
  edges: [
    { from: { node: 'load', port: 'audio' }, to: { node: 'stft', port: 'audio' } },
    { from: { node: 'stft', port: 'spectrogram' }, to: { node: 'pic', port: 'spectrogram' } },
    { from: { node: 'pic', port: 'image' }, to: { node: 'png', port: 'image' } },
    { from: { node: 'load', port: 'audio' }, to: { node: 'wav', port: 'audio' } },
  ],
}

/** Runs the graph once; returns the folder holding pic.png and snd.wav. */
async function firstRun(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'synesthete-restore-'))
  writeFileSync(join(dir, 'graph.json'), JSON.stringify(graph))
  const args = [join(dir, 'graph.json'), '--out', join(dir, 'out'), '--no-cache', '--quiet']
  expect(await render(args, capture().io)).toBe(0)
  return dir
}

describe('npm run render on a PNG or WAV it exported', () => {
  it('writes the graph and its provenance into every PNG and WAV', async () => {
    const dir = await firstRun()
    for (const name of ['pic.png', 'snd.wav']) {
      const found = readEmbeddedGraph(readFileSync(join(dir, 'out', name)))
      expect(found.kind).toBe('found')
      if (found.kind !== 'found') continue
      expect(JSON.parse(found.graphText)).toMatchObject({ name: 'Round trip' })
      expect(found.provenance?.output).toBe(name === 'pic.png' ? 'png' : 'wav')
      expect(found.provenance?.sources[0].sha256).toMatch(/^[0-9a-f]{64}$/)
    }
  })

  it.each(['pic.png', 'snd.wav'])('restores the graph from %s and runs it again', async (name) => {
    const dir = await firstRun()
    const { io, out, err } = capture()
    expect(
      await render([join(dir, 'out', name), '--out', join(dir, 'again'), '--no-cache'], io),
    ).toBe(0)
    expect(err.join('\n')).toMatch(new RegExp(`Restored the graph from ${name} \\(made .* by node`))
    expect(out.join('\n')).toMatch(/wrote .*again.*pic\.png/)
    for (const file of ['pic.png', 'snd.wav']) {
      expect(readFileSync(join(dir, 'again', file)).length).toBeGreaterThan(100)
    }
  })

  it('warns when the source file given is not the one that made the result', async () => {
    const dir = await firstRun()
    const other = fixturePath('notebook/sweep_log_mono_44100/input.wav')
    const { io, err } = capture()
    const args = [join(dir, 'out', 'snd.wav'), '--input', `load=${other}`, '--out', join(dir, 'b')]
    expect(await render([...args, '--no-cache', '--quiet'], io)).toBe(0)
    expect(err.join('\n')).toMatch(/load: "input.wav" is not the file that made this result/)
  })

  it('refuses to overwrite the file the graph came from', async () => {
    const dir = await firstRun()
    const { io, err } = capture()
    const args = [join(dir, 'out', 'snd.wav'), '--out', join(dir, 'out'), '--no-cache', '--quiet']
    expect(await render(args, io)).toBe(2)
    expect(err.join('\n')).toMatch(/would replace the file this graph was restored from/)
  })

  it('says so when a PNG or WAV carries no graph, or its graph is damaged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synesthete-restore-'))
    const plain = join(dir, 'plain.png')
    writeFileSync(plain, encodePng({ width: 1, height: 1, channels: [new Float32Array(1)] }))
    const a = capture()
    expect(await render([plain], a.io)).toBe(2)
    expect(a.err.join('\n')).toMatch(/“plain.png” carries no Synesthete graph/)

    const hostile = join(dir, 'hostile.png')
    const text = { 'synesthete-graph': '{"format":"synesthete-graph","version":7}' }
    writeFileSync(
      hostile,
      encodePng({ width: 1, height: 1, channels: [new Float32Array(1)] }, text),
    )
    const b = capture()
    expect(await render([hostile], b.io)).toBe(2)
    expect(b.err.join('\n')).toMatch(/newer Synesthete/)

    const song = join(dir, 'song.wav')
    copyFileSync(fixturePath('notebook/sweep_log_mono_44100/input.wav'), song)
    const c = capture()
    expect(await render([song], c.io)).toBe(2)
    expect(c.err.join('\n')).toMatch(/“song.wav” carries no Synesthete graph/)
  })
})
