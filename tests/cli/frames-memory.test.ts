import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { renderCommand } from '../../src/cli/farm'
import { encodeWav } from '../../src/media/wav-encode'
import { graphOf } from '../helpers/test-nodes'

/**
 * A 2,000-frame sequence renders headless in bounded memory. Each render runs in a process of
 * its own that prints its peak resident memory (tests/helpers/render-peak.ts). Holding the
 * sequence whole would take at least one float32 copy of every frame: 2,000 × 256² × 3 × 4 B =
 * 1.57 GB. Against a 200-frame render of the same graph (the same process, code and threads),
 * the 1,800 more frames must add less than half of what one copy of them would: the frames are
 * made and written a window at a time. The absolute peak is printed and must stay under 2 GB.
 * Frames of 256², not smaller: the collector's slack (a few hundred MB on a quiet machine,
 * whatever the frame size) must stay small beside one copy, or the bound measures the
 * collector (at 128² it failed on a quiet machine, +463 MB against 338, and passed under load).
 */

const dir = mkdtempSync(join(tmpdir(), 'synesthete-frames-memory-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const SIZE = 256
const FRAME_BYTES = SIZE * SIZE * 3 * 4
const PEAK_SCRIPT = fileURLToPath(new URL('../helpers/render-peak.ts', import.meta.url))

function writeInputs(frames: number): { graph: string; wav: string } {
  const rate = 8000
  const samples = Float32Array.from(
    { length: Math.round((frames / 24) * rate) },
    (_, i) => 0.4 * Math.sin((2 * Math.PI * (200 + (i % rate) / 10) * i) / rate),
  )
  const wav = join(dir, `${frames}.wav`)
  writeFileSync(wav, encodeWav({ sampleRate: rate, channels: [samples] }, 'pcm16'))
  const graph = join(dir, `${frames}.json`)
  const doc = graphOf(
    [
      { id: 'load', type: 'audio/load' },
      { id: 'spectra', type: 'frames/spectrum', params: { fps: 24, bins: 64, fftSize: 1024 } },
      { id: 'draw', type: 'frames/draw-spectrum', params: { width: SIZE, height: SIZE } },
      { id: 'video', type: 'frames/output', params: { name: 'clip' } },
    ],
    [
      'load.audio->spectra.audio',
      'spectra.spectra->draw.spectra',
      'draw.frames->video.frames',
      'load.audio->video.audio',
    ],
  )
  writeFileSync(graph, JSON.stringify(doc))
  return { graph, wav }
}

/** Renders `frames` frames in a child process; resolves with its peak RSS in bytes. */
function peakOf(frames: number): Promise<number> {
  const { graph, wav } = writeInputs(frames)
  const out = join(dir, `out-${frames}`)
  const { command, args } = renderCommand([])
  const argv = [...args.slice(0, 2), PEAK_SCRIPT, graph, '--input', `load=${wav}`]
  const child = spawn(command, [...argv, '--no-cache', '--quiet', '--out', out], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let text = ''
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()))
  return new Promise((done, fail) =>
    child.on('close', (code) => {
      const peak = /peak-rss-bytes (\d+)/.exec(text)
      if (code !== 0 || !peak) fail(new Error(`render exited ${code}:\n${text}`))
      else {
        expect(statSync(join(out, 'clip.zip')).size).toBeGreaterThan(frames * 100)
        done(Number(peak[1]))
      }
    }),
  )
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`

describe('a long frame sequence headless', () => {
  it('renders 2,000 frames in bounded memory (peak measured and printed)', async () => {
    const small = await peakOf(200)
    const large = await peakOf(2000)
    const oneCopy = 1800 * FRAME_BYTES
    console.log(
      `frames-memory: peak RSS ${mb(small)} for 200 frames of ${SIZE}², ${mb(large)} for 2,000 ` +
        `(+${mb(large - small)}; one float32 copy of the 1,800 more frames: ${mb(oneCopy)})`,
    )
    expect(large - small).toBeLessThan(oneCopy / 2)
    expect(large).toBeLessThan(2 * 1024 ** 3)
  }, 600_000)
})
