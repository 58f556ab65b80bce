import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unzipSync } from 'fflate'
import { afterAll, describe, expect, it } from 'vitest'
import { registry } from '../../nodes'
import { WINDOW_FRAMES } from '../../src/cli/frames-render'
import { render } from '../../src/cli/render'
import { execute } from '../../src/engine/executor'
import type { FramesValue } from '../../src/engine/values'
import { frameFileName, videoExportFiles } from '../../src/media/frames-export'
import { decodePng, encodePng } from '../../src/media/png'
import { decodeWav } from '../../src/media/wav'
import { encodeWav } from '../../src/media/wav-encode'
import { graphOf, spectrumVideoGraph } from '../helpers/test-nodes'

/**
 * Frame sequences headless are made a window at a time and written as they are made; a farm's
 * range runs and their join give the same frames. The reference is the whole sequence made in
 * memory in one executor run, as the editor makes it.
 */

const dir = mkdtempSync(join(tmpdir(), 'synesthete-frames-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const FPS = 24
/** 4.1 s at 24 fps: 99 frames, three windows and a bit. */
const SECONDS = 4.1
const rate = 8000
const samples = Float32Array.from(
  { length: Math.round(SECONDS * rate) },
  (_, i) => 0.5 * Math.sin((2 * Math.PI * (200 + (i / rate) * 300) * i) / rate),
)
const wavPath = join(dir, 'sweep.wav')
writeFileSync(wavPath, encodeWav({ sampleRate: rate, channels: [samples] }, 'pcm16'))

const graph = spectrumVideoGraph({
  fps: FPS,
  bins: 24,
  fftSize: 512,
  width: 24,
  height: 16,
  seed: 3,
})
const graphPath = join(dir, 'graph.json')
writeFileSync(graphPath, JSON.stringify(graph))

function capture() {
  const lines: string[] = []
  return { io: { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) }, lines }
}

async function run(args: string[]) {
  const c = capture()
  const code = await render([graphPath, '--input', `load=${wavPath}`, '--no-cache', ...args], c.io)
  expect(code, c.lines.join('\n')).toBe(0)
  return c.lines
}

/** The whole sequence in memory, in one executor run (the editor's way). */
async function reference(): Promise<FramesValue> {
  const bytes = readFileSync(wavPath)
  const { results } = await execute(
    {
      ...graph,
      nodes: graph.nodes.map((n) => (n.id === 'load' ? { ...n, params: { file: 'x' } } : n)),
    },
    { registry, files: () => Promise.resolve({ name: 'sweep.wav', bytes }) },
  )
  const value = results.get('video')?.outputs?.video
  if (value?.kind !== 'frames') throw new Error('no frames')
  return value
}

/** The frames of a zip, decoded, by entry name. */
function zipFrames(path: string) {
  return Object.entries(unzipSync(readFileSync(path))).map(([name, bytes]) => ({
    name,
    pixels: decodePng(bytes).channels,
  }))
}

describe('frame sequences headless', () => {
  it('makes them a window at a time, with the frames the whole sequence has', async () => {
    const whole = await reference()
    expect(whole.frames.length).toBe(99)
    expect(whole.frames.length).toBeGreaterThan(3 * WINDOW_FRAMES)
    const out = join(dir, 'local')
    const lines = await run(['--out', out])
    expect(lines).toContain(`… frames 1–${WINDOW_FRAMES} of 99`)
    const frames = zipFrames(join(out, 'clip.zip'))
    expect(frames.map((f) => f.name)).toEqual(
      whole.frames.map((_, i) => `clip/${frameFileName(i)}`),
    )
    // Pixels as the whole run's frames are written (8-bit PNG).
    frames.forEach((f, i) => {
      const expected = decodePng(encodePng({ width: 24, height: 16, channels: whole.frames[i] }))
      expect(f.pixels).toEqual(expected.channels)
    })
    const wav = decodeWav(readFileSync(join(out, 'clip.wav')))
    expect(wav.channels[0].length).toBe(samples.length)
  }, 120_000)

  it('splits by frame range and joins into the same zip, once', async () => {
    const local = zipFrames(join(dir, 'local', 'clip.zip'))
    const out = join(dir, 'ranges')
    // Ranges out of order, one past the end: each leaves only its frames.
    for (const range of ['40:40', '0:40', '80:40']) await run(['--out', out, '--frames', range])
    expect(readdirSync(out)).toEqual(['.clip.frames'])
    expect(readdirSync(join(out, '.clip.frames'))).toHaveLength(99)
    await run(['--out', out, '--join-frames'])
    expect(readdirSync(out).sort()).toEqual(['clip.wav', 'clip.zip'])
    expect(zipFrames(join(out, 'clip.zip'))).toEqual(local)
    expect(readFileSync(join(out, 'clip.zip')).length).toBeGreaterThan(0)
  }, 120_000)

  it('says which frame a join is missing, and writes no zip', async () => {
    const out = join(dir, 'missing')
    await run(['--out', out, '--frames', '0:50'])
    const c = capture()
    const code = await render(
      [graphPath, '--input', `load=${wavPath}`, '--no-cache', '--out', out, '--join-frames'],
      c.io,
    )
    expect(code).toBe(2)
    expect(c.lines.join('\n')).toMatch(/Frame 51 is missing/)
    expect(existsSync(join(out, 'clip.zip'))).toBe(false)
    expect(readdirSync(out).filter((n) => n.endsWith('.tmp'))).toEqual([])
  }, 120_000)

  it('writes spectra as the CSV of the whole sequence, locally and joined from ranges', async () => {
    const spectra = graphOf(
      [
        { id: 'load', type: 'audio/load' },
        { id: 'spectra', type: 'frames/spectrum', params: { fps: FPS, bins: 24, fftSize: 512 } },
        { id: 'video', type: 'frames/output', params: { name: 'levels' } },
      ],
      ['load.audio->spectra.audio', 'spectra.spectra->video.frames'],
    )
    const bytes = readFileSync(wavPath)
    const { results } = await execute(
      {
        ...spectra,
        nodes: spectra.nodes.map((n) => (n.id === 'load' ? { ...n, params: { file: 'x' } } : n)),
      },
      { registry, files: () => Promise.resolve({ name: 'sweep.wav', bytes }) },
    )
    const whole = results.get('video')?.outputs?.video
    if (whole?.kind !== 'frames') throw new Error('no spectra')
    const expected = videoExportFiles(whole, { name: 'levels' })
    const path = join(dir, 'spectra.json')
    writeFileSync(path, JSON.stringify(spectra))
    const cli = (args: string[]) =>
      render([path, '--input', `load=${wavPath}`, '--no-cache', ...args], capture().io)
    const local = join(dir, 'spectra-local')
    expect(await cli(['--out', local])).toBe(0)
    const joined = join(dir, 'spectra-joined')
    for (const range of ['0:60', '60:60'])
      expect(await cli(['--out', joined, '--frames', range])).toBe(0)
    expect(await cli(['--out', joined, '--join-frames'])).toBe(0)
    for (const out of [local, joined])
      for (const file of expected.filter((f) => !f.fileName.endsWith('.wav')))
        expect(readFileSync(join(out, file.fileName))).toEqual(
          Buffer.from((await file.bytes()) as Uint8Array),
        )
    expect(readdirSync(joined).sort()).toEqual(['levels.csv', 'levels.json'])
  }, 120_000)
})
