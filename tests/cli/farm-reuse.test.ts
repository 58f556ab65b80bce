import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { render } from '../../src/cli/render'
import { encodeWav } from '../../src/media/wav-encode'
import { graphOf } from '../helpers/test-nodes'

/**
 * What the range jobs of a split video repeat, and what they do not. A farm worker runs all its
 * jobs in one process (BullMQ's sandbox, kept between jobs: farm.test.ts checks that each worker
 * reports one job process), so two range runs in one process are what a worker does with two
 * ranges of a video. The second must open no ONNX session (the model loaded by the first stays
 * loaded) and must read the decoded sound from the shared cache folder instead of decoding it.
 */

const dir = mkdtempSync(join(tmpdir(), 'synesthete-farm-reuse-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Sound → spectra → pictures → Stable Diffusion per Frame (tiny model) → Video Output. */
const graph = graphOf(
  [
    { id: 'load', type: 'audio/load' },
    { id: 'spectra', type: 'frames/spectrum', params: { fps: 24, bins: 16, fftSize: 256 } },
    { id: 'draw', type: 'frames/draw-spectrum', params: { width: 64, height: 64 } },
    {
      id: 'paint',
      type: 'ml/stable-diffusion-frames',
      params: { steps: 1, width: 64, height: 64 },
    },
    { id: 'video', type: 'frames/output', params: { name: 'clip' } },
  ],
  [
    'load.audio->spectra.audio',
    'spectra.spectra->draw.spectra',
    'draw.frames->paint.frames',
    'paint.frames->video.frames',
    'load.audio->video.audio',
  ],
)

interface ReportRow {
  node: string
  cached: boolean
  state: string
  report?: { work?: string }
}

describe('range jobs in one worker process', () => {
  it('keep the loaded model and read the sound from the cache folder', async () => {
    const rate = 8000
    const samples = Float32Array.from(
      { length: rate }, // 1 s at 24 fps: 24 frames, two ranges of 12
      (_, i) => 0.5 * Math.sin((2 * Math.PI * (200 + (i / rate) * 2000) * i) / rate), // a sweep: every frame differs
    )
    writeFileSync(
      join(dir, 'clip.wav'),
      encodeWav({ sampleRate: rate, channels: [samples] }, 'pcm16'),
    )
    writeFileSync(join(dir, 'graph.json'), JSON.stringify(graph))
    const opened = vi.spyOn(ort.InferenceSession, 'create')
    const range = async (from: number) => {
      const report = join(dir, `report-${from}.json`)
      const lines: string[] = []
      const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) }
      const argv = [join(dir, 'graph.json'), '--input', `load=${join(dir, 'clip.wav')}`]
      argv.push('--out', join(dir, 'out'), '--cache', join(dir, 'cache'), '--ort', 'node')
      const code = await render([...argv, '--frames', `${from}:12`, '--report', report], io)
      expect(code, lines.join('\n')).toBe(0)
      const rows = (JSON.parse(readFileSync(report, 'utf8')) as { nodes: ReportRow[] }).nodes
      return (id: string) => rows.find((r) => r.node === id)
    }

    const first = await range(0)
    const sessions = opened.mock.calls.length
    // The tiny model's text encoder, UNet and VAE: each opened once.
    expect(sessions).toBeGreaterThanOrEqual(3)
    expect(first('load')?.cached).toBe(false)

    const second = await range(12)
    expect(opened.mock.calls.length).toBe(sessions)
    expect(second('paint')?.report?.work).toBe('12 frames, 0 kept from an earlier run')
    expect(second('load')?.cached).toBe(true)
    expect(readdirSync(join(dir, 'out', '.clip.frames'))).toHaveLength(24)
    opened.mockRestore()
  }, 120_000)
})
