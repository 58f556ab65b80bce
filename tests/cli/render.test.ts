import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { render } from '../../src/cli/render'
import { decodeWav } from '../../src/media/wav'
import { readNpy } from '../../src/media/npy'
import { GRAPH_FORMAT, type GraphDocument } from '../../src/engine/document'
import { shareUrl } from '../../src/engine/share-link'
import { fixturePath } from '../helpers/fixtures'
import { graphOf } from '../helpers/test-nodes'

function capture() {
  const out: string[] = []
  const err: string[] = []
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err }
}

function tempGraph(graph: GraphDocument): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'synesthete-cli-'))
  const file = join(dir, 'graph.json')
  writeFileSync(file, JSON.stringify(graph))
  return { dir, file }
}

const copyGraph: GraphDocument = {
  format: GRAPH_FORMAT,
  version: 2,
  nodes: [
    { id: 'load', type: 'audio/load', params: {}, position: { x: 0, y: 0 }, mode: 'normal' },
    {
      id: 'out',
      type: 'audio/output',
      params: { name: 'copy', format: 'float32' },
      position: { x: 1, y: 0 },
      mode: 'normal',
    },
  ],
  edges: [{ from: { node: 'load', port: 'audio' }, to: { node: 'out', port: 'audio' } }],
}

describe('npm run render', () => {
  it('runs a graph on the bundled sample and writes its output WAV', async () => {
    const { dir, file } = tempGraph(copyGraph)
    const { io, out } = capture()
    expect(await render([file, '--out', join(dir, 'out'), '--no-cache'], io)).toBe(0)
    const wav = decodeWav(readFileSync(join(dir, 'out', 'copy.wav')))
    expect(wav.sampleRate).toBe(44100)
    expect(wav.channels).toHaveLength(2)
    expect(out.join('\n')).toMatch(/wrote .*copy\.wav/)
  })

  it('takes --input and --set, and dumps every port with a manifest', async () => {
    const { dir, file } = tempGraph(copyGraph)
    const input = fixturePath('notebook/sweep_log_mono_44100/input.wav')
    const dump = join(dir, 'dump')
    const args = [
      file,
      '--input',
      `load=${input}`,
      '--set',
      'load.sampleRateHz=22050',
      '--dump',
      dump,
      '--out',
      join(dir, 'o'),
      '--no-cache',
    ]
    expect(await render(args, capture().io)).toBe(0)
    const manifest = JSON.parse(readFileSync(join(dump, 'manifest.json'), 'utf8')) as {
      node: string
      port: string
      shape: number[]
      sampleRate: number
      file: string
    }[]
    const loaded = manifest.find((m) => m.node === 'load')
    expect(loaded).toMatchObject({ port: 'audio', sampleRate: 22050, file: 'load.audio.npy' })
    expect(loaded?.shape[0]).toBe(1)
    expect(loaded?.shape[1]).toBeCloseTo(5 * 22050, -2)
    const npy = readNpy(readFileSync(join(dump, 'load.audio.npy')))
    expect(npy.shape).toEqual(loaded?.shape)
  })

  it('reuses its disk cache on a second run and says so in the report', async () => {
    const { dir, file } = tempGraph(copyGraph)
    const cache = join(dir, 'cache')
    const report = join(dir, 'report.json')
    await render([file, '--cache', cache, '--out', join(dir, 'o'), '--quiet'], capture().io)
    expect(
      await render(
        [file, '--cache', cache, '--out', join(dir, 'o'), '--report', report, '--quiet'],
        capture().io,
      ),
    ).toBe(0)
    const parsed = JSON.parse(readFileSync(report, 'utf8')) as {
      nodes: { node: string; type: string; ms: number; cached: boolean }[]
      totalMs: number
    }
    const rows = parsed.nodes.map((n) => [n.node, n.type, n.cached])
    expect(rows.sort()).toEqual([
      ['load', 'audio/load', true],
      ['out', 'audio/output', true],
    ])
    for (const n of parsed.nodes) expect(n.ms).toBeGreaterThanOrEqual(0)
    expect(parsed.totalMs).toBeGreaterThanOrEqual(0)
  })

  it('passes a bypassed node’s input straight through', async () => {
    const { dir, file } = tempGraph(
      graphOf(
        [
          { id: 'load', type: 'audio/load' },
          { id: 'slow', type: 'dsp/phase-vocoder', params: { stretch: 2 } },
          { id: 'out', type: 'audio/output', params: { name: 'copy', format: 'float32' } },
        ],
        ['load.audio->slow.audio', 'slow.audio->out.audio'],
      ),
    )
    const length = async (extra: string[]) => {
      const out = join(dir, extra.length > 0 ? 'bypassed' : 'stretched')
      expect(
        await render([file, '--out', out, '--no-cache', '--quiet', ...extra], capture().io),
      ).toBe(0)
      return decodeWav(readFileSync(join(out, 'copy.wav'))).channels[0].length
    }
    const source = decodeWav(readFileSync(fixturePath('../../public/samples/synesthete-demo.wav')))
    expect(await length(['--bypass', 'slow'])).toBe(source.channels[0].length)
    expect(await length([])).toBeCloseTo(2 * source.channels[0].length, -3)
  })

  it('dumps spectrograms as [channels, bins, frames] and pictures as [C, H, W] in 0..1', async () => {
    const { dir, file } = tempGraph(
      graphOf(
        [
          { id: 'load', type: 'audio/load', params: { mixdown: true } },
          { id: 'spec', type: 'dsp/stft', params: { fftSize: 256, hopSize: 128 } },
          { id: 'pic', type: 'dsp/normalize' },
        ],
        ['load.audio->spec.audio', 'spec.spectrogram->pic.spectrogram'],
      ),
    )
    const input = fixturePath('notebook/sweep_log_mono_44100/input.wav')
    const samples = decodeWav(readFileSync(input)).channels[0].length
    const dump = join(dir, 'dump')
    const args = [file, '--input', `load=${input}`, '--dump', dump, '--no-cache', '--quiet']
    expect(await render(args, capture().io)).toBe(0)
    const manifest = JSON.parse(readFileSync(join(dump, 'manifest.json'), 'utf8')) as {
      node: string
      kind: string
      shape: number[]
    }[]
    const frames = 1 + Math.floor(samples / 128) // centred frames
    expect(manifest.find((m) => m.node === 'spec')).toMatchObject({
      kind: 'spectrogram',
      shape: [1, 129, frames],
    })
    const picture = manifest.find((m) => m.node === 'pic')
    expect(picture).toMatchObject({ kind: 'image', shape: [3, 300, 400] }) // 400 wide, 300 high
    const pixels = readNpy(readFileSync(join(dump, 'pic.image.npy'))).data
    expect(pixels.every((v) => v >= 0 && v <= 1)).toBe(true)
  })

  it('exits 1 with the node and a hint when a node fails, 2 for an unusable graph', async () => {
    const { dir, file } = tempGraph(copyGraph)
    // A WAV by its first bytes (Load Audio takes it), with no chunks after: decoding fails.
    const damaged = join(dir, 'damaged.wav')
    writeFileSync(damaged, Buffer.from('RIFF\x04\x00\x00\x00WAVE', 'latin1'))
    const failing = capture()
    expect(
      await render(
        [file, '--input', `load=${damaged}`, '--no-cache', '--out', join(dir, 'o')],
        failing.io,
      ),
    ).toBe(1)
    expect(failing.err.join('\n')).toMatch(/✗ load \(audio\/load\)/)
    expect(existsSync(join(dir, 'o', 'copy.wav'))).toBe(false)

    const future = tempGraph({ ...copyGraph, version: 7 as 2 })
    const refused = capture()
    expect(await render([future.file], refused.io)).toBe(2)
    expect(refused.err.join('\n')).toMatch(/newer Synesthete/)
  })

  it('runs a graph judged by its content: a document under any name, or a saved share link', async () => {
    const { dir } = tempGraph(copyGraph)
    const document = join(dir, 'graph.txt')
    writeFileSync(document, JSON.stringify(copyGraph))
    const link = join(dir, 'link')
    writeFileSync(link, await shareUrl('https://example.org/', copyGraph))
    for (const file of [document, link]) {
      const out = join(dir, `out-${relative(dir, file)}`)
      expect(await render([file, '--out', out, '--no-cache', '--quiet'], capture().io)).toBe(0)
      expect(decodeWav(readFileSync(join(out, 'copy.wav'))).sampleRate).toBe(44100)
    }
    const notes = join(dir, 'notes.json')
    writeFileSync(notes, 'not a graph at all')
    const refused = capture()
    expect(await render([notes, '--no-cache'], refused.io)).toBe(2)
    expect(refused.err.join('\n')).toContain(
      '“notes.json” is plain text. A graph is a JSON document',
    )
  })

  it('refuses --input of a file the node does not read, saying what it is and what the node reads', async () => {
    const { dir, file } = tempGraph(copyGraph)
    const notes = join(dir, 'notes.txt')
    writeFileSync(notes, 'hello, this is text')
    const picture = fixturePath('media/png/grey16.png')
    for (const [input, what] of [
      [notes, '“notes.txt” is plain text'],
      [picture, '“grey16.png” is a PNG image'],
    ]) {
      const refused = capture()
      const args = [file, '--input', `load=${input}`, '--no-cache', '--out', join(dir, 'o')]
      expect(await render(args, refused.io)).toBe(2)
      const said = refused.err.join('\n')
      expect(said).toContain(`--input load=${input}: ${what}, which Load Audio does not read.`)
      expect(said).toMatch(/Load Audio reads a WAV, MP3, Ogg Vorbis, Ogg Opus or FLAC file/)
      expect(existsSync(join(dir, 'o'))).toBe(false)
    }
  })

  it('names the nodes and params that exist when --set or --input miss', async () => {
    const { file } = tempGraph(copyGraph)
    const a = capture()
    expect(await render([file, '--set', 'nope.x=1'], a.io)).toBe(2)
    expect(a.err.join()).toMatch(/no node "nope". Its nodes are: load, out/)
    const b = capture()
    expect(await render([file, '--set', 'load.loudness=1'], b.io)).toBe(2)
    expect(b.err.join()).toMatch(/no param "loudness". Its params are: file, mixdown/)
    const c = capture()
    expect(await render([file, '--set', 'load.sampleRateHz=-5'], c.io)).toBe(2)
    expect(c.err.join()).toMatch(/--set load.sampleRateHz=-5: the value must be at least 0\./)
  })

  it('reads paths on the command line from the folder it was run in, as npm keeps it', async () => {
    const { dir, file } = tempGraph(copyGraph)
    const before = process.env.INIT_CWD
    process.env.INIT_CWD = dirname(fixturePath('notebook/sweep_log_mono_44100/input.wav'))
    try {
      const args = [file, '--input', 'load=input.wav', '--out', relative(process.env.INIT_CWD, dir)]
      expect(await render([...args, '--no-cache', '--quiet'], capture().io)).toBe(0)
    } finally {
      if (before === undefined) delete process.env.INIT_CWD
      else process.env.INIT_CWD = before
    }
    const input = decodeWav(readFileSync(fixturePath('notebook/sweep_log_mono_44100/input.wav')))
    const copy = decodeWav(readFileSync(join(dir, 'copy.wav')))
    expect(copy.channels[0].length).toBe(input.channels[0].length)
  })

  it('prints usage for bad arguments', async () => {
    const { io, err } = capture()
    expect(await render([], io)).toBe(2)
    expect(err.join()).toMatch(/Usage: npm run render/)
  })
})

describe('--model', () => {
  it('points every Stable Diffusion node at the folder, and a wrong folder fails on that node', async () => {
    const graph: GraphDocument = {
      format: GRAPH_FORMAT,
      version: 2,
      nodes: [
        {
          id: 'paint',
          type: 'ml/stable-diffusion',
          params: { steps: 2, width: 64, height: 64 },
          position: { x: 0, y: 0 },
          mode: 'normal',
        },
        {
          id: 'out',
          type: 'image/output',
          params: { name: 'painting' },
          position: { x: 1, y: 0 },
          mode: 'normal',
        },
      ],
      edges: [{ from: { node: 'paint', port: 'image' }, to: { node: 'out', port: 'image' } }],
    }
    const { dir, file } = tempGraph(graph)
    const tiny = new URL('../../models/tiny', import.meta.url).pathname
    expect(
      await render(
        [file, '--model', tiny, '--out', join(dir, 'o'), '--no-cache', '--quiet'],
        capture().io,
      ),
    ).toBe(0)
    expect(existsSync(join(dir, 'o', 'painting.png'))).toBe(true)
    const wrong = capture()
    expect(
      await render([file, '--model', join(dir, 'nowhere'), '--no-cache', '--quiet'], wrong.io),
    ).toBe(2)
    expect(wrong.err.join('\n')).toMatch(/node "paint" \(Stable Diffusion\), model .*nowhere/)
  })
})
