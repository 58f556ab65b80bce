import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseRenderArgs } from '../../src/cli/args'
import { DEFAULT_SPLIT, parseFarmArgs } from '../../src/cli/farm'
import { rangesOf } from '../../src/cli/farm-queue'
import { countFrames } from '../../src/cli/frames-render'
import { registry } from '../../nodes'
import { expandGlob, globToRegExp, planEach } from '../../src/cli/farm-plan'
import { render } from '../../src/cli/render'
import { encodeWav } from '../../src/media/wav-encode'
import { graphOf } from '../helpers/test-nodes'

const copy = graphOf(
  [
    { id: 'load', type: 'audio/load' },
    { id: 'out', type: 'audio/output', params: { name: 'copy', format: 'float32' } },
  ],
  ['load.audio->out.audio'],
)

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'synesthete-each-'))
  mkdirSync(join(dir, 'in', 'more'), { recursive: true })
  const wav = (n: number) =>
    encodeWav(
      {
        sampleRate: 8000,
        channels: [Float32Array.from({ length: 800 }, (_, i) => Math.sin(i * n) / 2)],
      },
      'pcm16',
    )
  writeFileSync(join(dir, 'in', 'one.wav'), wav(0.1))
  writeFileSync(join(dir, 'in', 'two.wav'), wav(0.2))
  writeFileSync(join(dir, 'in', 'more', 'three.wav'), wav(0.3))
  writeFileSync(join(dir, 'in', 'notes.txt'), 'not audio')
  writeFileSync(join(dir, 'graph.json'), JSON.stringify(copy))
  return dir
}

function capture() {
  const out: string[] = []
  const err: string[] = []
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err }
}

describe('--each planning', () => {
  it('globs as a shell does: * within a folder, ** across folders, ? one character', async () => {
    expect(globToRegExp('*.wav').test('a.wav')).toBe(true)
    expect(globToRegExp('*.wav').test('x/a.wav')).toBe(false)
    expect(globToRegExp('**/*.wav').test('x/y/a.wav')).toBe(true)
    expect(globToRegExp('**/*.wav').test('a.wav')).toBe(true)
    expect(globToRegExp('take-?.mp3').test('take-1.mp3')).toBe(true)
    expect(globToRegExp('take-?.mp3').test('take-12.mp3')).toBe(false)
    const dir = setup()
    const names = (files: string[]) => files.map((f) => f.slice(dir.length + 1))
    expect(names(await expandGlob('in/*.wav', dir))).toEqual(['in/one.wav', 'in/two.wav'])
    expect(names(await expandGlob('in/**/*.wav', dir))).toEqual([
      'in/more/three.wav',
      'in/one.wav',
      'in/two.wav',
    ])
    await expect(expandGlob('nowhere/*.wav', dir)).rejects.toThrow(
      /folder .*nowhere does not exist/,
    )
  })

  it('gives each run an id from the content: stable, and new when an input changes', async () => {
    const dir = setup()
    const args = parseRenderArgs([join(dir, 'graph.json'), '--out', join(dir, 'out')])
    const each = { node: 'load', glob: join(dir, 'in', '*.wav') }
    const first = await planEach(args, each, dir)
    expect(first.map((r) => [r.stem, r.out])).toEqual([
      ['one', join(dir, 'out', 'one')],
      ['two', join(dir, 'out', 'two')],
    ])
    expect((await planEach(args, each, dir)).map((r) => r.id)).toEqual(first.map((r) => r.id))
    writeFileSync(join(dir, 'in', 'two.wav'), readdirSync(dir).join())
    const changed = await planEach(args, each, dir)
    expect(changed[0].id).toBe(first[0].id)
    expect(changed[1].id).not.toBe(first[1].id)
    const elsewhere = parseRenderArgs([join(dir, 'graph.json'), '--out', join(dir, 'other')])
    expect((await planEach(elsewhere, each, dir))[0].id).not.toBe(first[0].id)
  })

  it('refuses two files that would share an output folder, and a glob matching nothing', async () => {
    const dir = setup()
    writeFileSync(join(dir, 'in', 'one.flac'), 'x')
    const args = parseRenderArgs([join(dir, 'graph.json'), '--out', join(dir, 'out')])
    await expect(
      planEach(args, { node: 'load', glob: join(dir, 'in', 'one.*') }, dir),
    ).rejects.toThrow(/one\.flac and .*one\.wav would both write to .*out\/one/)
    await expect(
      planEach(args, { node: 'load', glob: join(dir, 'in', '*.ogg') }, dir),
    ).rejects.toThrow(/no file matches/)
  })

  it('checks the farm flags', () => {
    expect(() => parseFarmArgs(['g.json', '--queue', 'localhost:6379', '--each', 'a=b'])).toThrow(
      /Redis URL/,
    )
    expect(() => parseFarmArgs(['--worker'])).toThrow(/--worker needs --queue/)
    expect(() => parseFarmArgs(['g.json', '--each', 'a=*', '--concurrency', '0'])).toThrow(
      /whole number/,
    )
    expect(parseFarmArgs(['g.json', '--each=load=*.wav', '--out', 'o']).each).toBe('load=*.wav')
  })
})

describe('--each on this machine', () => {
  it('runs the graph once per file into OUT/<stem>/, and names a file that fails', async () => {
    const dir = setup()
    writeFileSync(join(dir, 'in', 'broken.wav'), 'not a wav file')
    const { io, out, err } = capture()
    const code = await render(
      [
        join(dir, 'graph.json'),
        '--each',
        `load=${join(dir, 'in', '*.wav')}`,
        '--out',
        join(dir, 'out'),
        '--no-cache',
        '--concurrency',
        '1',
      ],
      io,
    )
    expect(code).toBe(1)
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['one', 'two'])
    expect(readdirSync(join(dir, 'out', 'one'))).toEqual(['copy.wav'])
    expect(out).toContain(`✓ one → ${join(dir, 'out', 'one')}`)
    expect(err.join('\n')).toMatch(/✗ broken \(.*broken\.wav\):/)
    expect(out.at(-1)).toBe('2 of 3 runs done; failed: broken')
  })
})

describe('splitting a frame sequence by range', () => {
  const run = (frames?: number) => ({ stem: 's', input: 'i', out: 'o', argv: [], id: 'x', frames })

  it('cuts ranges of --split frames, the last one shorter, none for a short sequence', () => {
    expect(rangesOf(run(60), 12)).toEqual(
      [0, 12, 24, 36, 48].map((start) => ({ start, count: 12 })),
    )
    expect(rangesOf(run(61), 12).at(-1)).toEqual({ start: 60, count: 1 })
    expect(rangesOf(run(61), 12).reduce((n, r) => n + r.count, 0)).toBe(61)
    expect(rangesOf(run(12), 12)).toEqual([])
    expect(rangesOf(run(), 12)).toEqual([])
  })

  it('reads --split, --frames and --join-frames, refusing what is not a range', () => {
    expect(parseFarmArgs(['g.json', '--each', 'a=*', '--queue', 'redis://h:1']).split).toBe(
      DEFAULT_SPLIT,
    )
    expect(parseFarmArgs(['g.json', '--each', 'a=*', '--split', '48']).split).toBe(48)
    expect(() => parseFarmArgs(['g.json', '--each', 'a=*', '--split', '0'])).toThrow(/--split/)
    expect(parseRenderArgs(['g.json', '--frames', '96:48']).frames).toEqual({
      start: 96,
      count: 48,
    })
    expect(parseRenderArgs(['g.json', '--join-frames']).joinFrames).toBe(true)
    for (const bad of ['96', '1:-4', '3:0', 'a:b', '1.5:2'])
      expect(() => parseRenderArgs(['g.json', '--frames', bad])).toThrow(
        /--frames takes FROM:COUNT/,
      )
    expect(() => parseRenderArgs(['g.json', '--frames', '0:4', '--join-frames'])).toThrow(
      /either --frames/,
    )
  })

  it('counts a graph’s frames from its sound alone, and none for a graph without frames', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synesthete-count-'))
    const rate = 8000
    writeFileSync(
      join(dir, 'a.wav'),
      encodeWav({ sampleRate: rate, channels: [new Float32Array(rate * 2 + 1)] }, 'pcm16'),
    )
    const frames = graphOf(
      [
        { id: 'load', type: 'audio/load' },
        { id: 'spectra', type: 'frames/spectrum', params: { fps: 24 } },
      ],
      ['load.audio->spectra.audio'],
    )
    writeFileSync(join(dir, 'frames.json'), JSON.stringify(frames))
    writeFileSync(
      join(dir, 'none.json'),
      JSON.stringify(graphOf([{ id: 'load', type: 'audio/load' }])),
    )
    const args = (graph: string) =>
      parseRenderArgs([join(dir, graph), '--input', `load=${join(dir, 'a.wav')}`])
    // ⌈(2 s + 1 sample) · 24⌉ = 49 frames.
    expect(await countFrames(args('frames.json'), registry)).toBe(49)
    expect(await countFrames(args('none.json'), registry)).toBeUndefined()
  })
})
