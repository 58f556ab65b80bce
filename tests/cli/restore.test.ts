import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { registry } from '../../nodes'
import { readGraphSource } from '../../src/cli/graph-source'
import { render } from '../../src/cli/render'
import { GRAPH_FORMAT, type GraphDocument } from '../../src/engine/document'
import { parseGraphText } from '../../src/engine/validate'
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
  version: 2,
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

/** The document as the app holds it once opened: validated, with every param filled in. */
function opened(text: string): GraphDocument {
  const result = parseGraphText(text, registry)
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'))
  return result.graph
}

/** The graph the command line restores from a file, the same way `npm run render FILE` does. */
async function restoredFrom(path: string): Promise<GraphDocument> {
  return opened((await readGraphSource(path)).text)
}

const original = opened(JSON.stringify(graph))

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
      expect(opened(found.graphText)).toEqual(original)
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
    expect(await restoredFrom(join(dir, 'out', name))).toEqual(original)
    // What the second run wrote carries the graph it ran: the restored one, unchanged.
    for (const file of ['pic.png', 'snd.wav']) {
      expect(await restoredFrom(join(dir, 'again', file))).toEqual(original)
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
    expect(err.join('\n')).toMatch(
      /output node "wav" would write .*snd\.wav, which is the file this graph was restored from/,
    )
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

describe('npm run render on a frame or the soundtrack of a video it exported', () => {
  // Small and short, so the whole preset runs in about a second on the tiny model.
  const sets = {
    'spectra.fps': 2,
    'draw.width': 64,
    'draw.height': 64,
    'paint.width': 64,
    'paint.height': 64,
    'paint.steps': 2,
  }

  /** The preset as the command line runs it: opened, then edited by the --set flags. */
  function spectralDiffusion(): GraphDocument {
    const graph = opened(
      readFileSync(new URL('../../presets/spectral-diffusion.json', import.meta.url), 'utf8'),
    )
    for (const [key, value] of Object.entries(sets)) {
      const [id, param] = key.split('.')
      graph.nodes.find((n) => n.id === id)!.params[param] = value
    }
    return graph
  }

  it('restores the spectral-diffusion graph from its WAV and from one PNG out of its zip', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synesthete-restore-video-'))
    const out = join(dir, 'out')
    const setFlags = Object.entries(sets).flatMap(([key, value]) => ['--set', `${key}=${value}`])
    const args = ['spectral-diffusion', ...setFlags, '--out', out, '--no-cache', '--quiet']
    expect(await render(args, capture().io)).toBe(0)
    const expected = spectralDiffusion()

    expect(await restoredFrom(join(out, 'spectral_diffusion.wav'))).toEqual(expected)

    const frames = unzipSync(readFileSync(join(out, 'spectral_diffusion.zip')))
    const names = Object.keys(frames).sort()
    expect(names).toHaveLength(12) // 6 s of sound at 2 frames per second
    for (const name of names) {
      const found = readEmbeddedGraph(frames[name])
      expect(found.kind, name).toBe('found')
      if (found.kind === 'found') expect(found.provenance?.output).toBe('video')
    }
    const frame = join(dir, 'frame.png')
    writeFileSync(frame, frames[names[5]])
    expect(await restoredFrom(frame)).toEqual(expected)

    // A frame on its own is enough to run the graph again.
    const again = capture()
    expect(await render([frame, '--out', join(dir, 'again'), '--no-cache'], again.io)).toBe(0)
    expect(again.err.join('\n')).toMatch(
      /Restored the graph from frame\.png \(made .* by node "video"\)/,
    )
    expect(await restoredFrom(join(dir, 'again', 'spectral_diffusion.wav'))).toEqual(expected)
  })
})
