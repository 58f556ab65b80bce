import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { GraphDocument } from '../../src/engine/document'
import { encodeWav } from '../../src/media/wav'
import { screenshot, useBrowser } from './browser'
import {
  dropFile,
  openWithGraph,
  runCount,
  unexpected,
  waitForFirstRun,
  waitForRun,
} from './editor-helpers'
import type { PatternSpec, PlaybackReport, AudioReport } from './harness/video-harness'

/**
 * The WebM export (src/editor/preview/video-export.ts and src/media/webm.ts) played back by
 * Chromium's own demuxer and decoders: the file must open with the right size and length,
 * seek to the right frame, play to its end, show the colours it was given, and carry the
 * soundtrack. WebCodecs needs a secure context; http://127.0.0.1 (vite preview) is one.
 */

const HARNESS = '/tests/e2e/harness/runtime.html'
const chrome = useBrowser()

const spec: PatternSpec = {
  width: 96,
  height: 64,
  fps: 8,
  frameCount: 12,
  toneHz: 1000,
  toneSec: 1.5,
  silenceSec: 0.25,
  sampleRateHz: 44100, // resampled to Opus' 48 kHz on export
}

/**
 * Tolerances, in 8-bit levels, for a 4 × 4 grid of cell means (R, G, B each), decoded against
 * source: a YUV round trip alone is within a level (rounding on each side); VP8 at the
 * export's bitrate floor (200 kbit/s, here about 4 bits a pixel) keeps flat areas within a few
 * levels, and 4:2:0 chroma and ringing at the moving square's edges move a cell's mean by a
 * few more. Measured: 1.3 mean and 4.6 in the worst cell over the twelve frames. 4 and 12
 * leave room for other encoder builds and still catch a wrong colour matrix or range: RGBA
 * handed to Chromium's encoder (BT.709 full range, played back as BT.601 studio range) was
 * 19.7 levels off on average and 40 in the worst cell.
 */
const MEAN_LEVELS = 4
const WORST_LEVELS = 12

const meanAbs = (a: number[], b: number[]) =>
  a.reduce((sum, x, i) => sum + Math.abs(x - b[i]), 0) / a.length
const maxAbs = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i])))

async function openHarness(): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await chrome.open(HARNESS)
  await page.waitForFunction(() => 'videoHarness' in window)
  return { page, errors }
}

function playback(page: Page, webmBase64: string, seekTimes: number[]): Promise<PlaybackReport> {
  return page.evaluate(([webm, times]) => window.videoHarness.playback(webm, times), [
    webmBase64,
    seekTimes,
  ] as const)
}

/**
 * The decoded soundtrack is the tone: its frequency within one FFT bin, its length and its
 * start within a millisecond. Exact would be possible: the muxer marks the last packet's
 * surplus as DiscardPadding and writes the encoder's pre-skip (312 samples, 6.5 ms) as
 * CodecDelay, and WebCodecs' AudioDecoder given the same packets returns the sound to the
 * sample. But Chromium's file decoder (FFmpeg's demuxer) takes CodecDelay in the track's 1 ms
 * ticks, 6.5 ms rounded to 7, so it drops 24 samples (0.5 ms) too many at the start: the sound
 * comes out 0.5 ms early and 0.5 ms short, far below what anyone hears as out of sync.
 */
function expectTone(
  audio: PlaybackReport['audio'],
  tone: { hz: number; durationSec: number; startSec: number },
): AudioReport {
  if ('error' in audio) throw new Error(`The soundtrack did not decode: ${audio.error}`)
  expect(audio.sampleRate).toBe(48000)
  expect(audio.channels).toBe(1)
  expect(Math.abs(audio.durationSec - tone.durationSec)).toBeLessThanOrEqual(0.001)
  expect(Math.abs(audio.peakHz - tone.hz)).toBeLessThanOrEqual(audio.binHz)
  // A sine of amplitude 0.5 from phase 0 first passes 0.1 after asin(0.2) / 2πf.
  const onsetSec = tone.startSec + Math.asin(0.2) / (2 * Math.PI * tone.hz)
  expect(Math.abs(audio.onsetSec - onsetSec)).toBeLessThanOrEqual(0.001)
  expect(audio.rms).toBeCloseTo(0.5 / Math.SQRT2, 2) // the tone's level survives Opus
  return audio
}

/** The measured figures, for the log. */
function summary(report: PlaybackReport, colour: string): string {
  const { audio } = report
  const sound =
    'error' in audio
      ? `sound: ${audio.error}`
      : `sound ${audio.durationSec} s, peak ${audio.peakHz.toFixed(2)} Hz (bin ${audio.binHz.toFixed(2)}), ` +
        `rms ${audio.rms.toFixed(4)}, over 0.1 from ${(audio.onsetSec * 1000).toFixed(3)} ms`
  return (
    `${report.width}×${report.height}, ${report.durationSec} s, ended ${report.ended} at ` +
    `${report.endSec} s (${report.playedFramesPresented} frames presented); ${colour}; ${sound}`
  )
}

/** A mono tone as 16-bit WAV bytes. */
function toneWav(frequencyHz: number, seconds: number, sampleRateHz: number): Uint8Array {
  const tone = new Float32Array(Math.round(sampleRateHz * seconds)).map(
    (_, i) => 0.5 * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRateHz),
  )
  return encodeWav({ sampleRate: sampleRateHz, channels: [tone] }, 'pcm16')
}

describe('the WebM export', () => {
  it('plays back a moving colour pattern with its tone: size, length, frames, colours and sound', async () => {
    const { page, errors } = await openHarness()
    const made = await page.evaluate((s) => window.videoHarness.exportPattern(s), spec)
    expect(made.progress.at(-1)).toBe(1)
    const durationSec = spec.frameCount / spec.fps
    const middles = Array.from({ length: spec.frameCount }, (_, i) => (i + 0.5) / spec.fps)
    const report = await playback(page, made.webmBase64, middles)
    const colour = report.seeks.map((seek, i) => ({
      distances: made.grids.map((grid) => meanAbs(seek.grid, grid)),
      worst: maxAbs(seek.grid, made.grids[i]),
    }))
    const mean = Math.max(...colour.map((c, i) => c.distances[i]))
    const worst = Math.max(...colour.map((c) => c.worst))
    console.info(
      `pattern: ${made.bytes} bytes, encoded in ${made.ms.toFixed(0)} ms; ` +
        summary(
          report,
          `colour error ≤ ${mean.toFixed(2)} levels mean, ${worst.toFixed(2)} worst cell`,
        ),
    )

    expect([report.width, report.height]).toEqual([spec.width, spec.height])
    // The muxer writes the length (Info/Duration); the frames decide it, not the sound.
    expect(Math.abs(report.durationSec - durationSec)).toBeLessThanOrEqual(0.001)
    expect(report.ended).toBe(true)
    expect(Math.abs(report.endSec - durationSec)).toBeLessThanOrEqual(1 / spec.fps)
    // Each seek to the middle of frame i shows frame i (the nearest of all twelve), in its
    // own colours.
    report.seeks.forEach((seek, i) => {
      const { distances } = colour[i]
      expect(distances.indexOf(Math.min(...distances))).toBe(i)
      if (seek.presentedSec !== null) expect(seek.presentedSec).toBeCloseTo(i / spec.fps, 3)
    })
    expect(mean).toBeLessThanOrEqual(MEAN_LEVELS)
    expect(worst).toBeLessThanOrEqual(WORST_LEVELS)
    expectTone(report.audio, {
      hz: spec.toneHz,
      durationSec: spec.toneSec,
      startSec: spec.silenceSec,
    })
    expect(errors).toEqual([])
  })

  it('downloads a Video Output from the editor as WebM that plays, looks like its frames and sounds like its tone', async () => {
    const graph: GraphDocument = {
      format: 'synesthete-graph',
      version: 2,
      name: 'E2E video',
      nodes: [
        { id: 'load', type: 'audio/load', params: {}, position: { x: 0, y: 0 }, mode: 'normal' },
        {
          id: 'spectra',
          type: 'frames/spectrum',
          params: { fps: 8, fftSize: 1024, bins: 32, minHz: 100, maxHz: 4000 },
          position: { x: 340, y: 0 },
          mode: 'normal',
        },
        {
          id: 'draw',
          type: 'frames/draw-spectrum',
          params: { style: 'bars', width: 96, height: 64 },
          position: { x: 680, y: 0 },
          mode: 'normal',
        },
        {
          id: 'out',
          type: 'frames/output',
          params: { name: 'e2e_tone' },
          position: { x: 1020, y: 0 },
          mode: 'normal',
        },
      ],
      edges: [
        { from: { node: 'load', port: 'audio' }, to: { node: 'spectra', port: 'audio' } },
        { from: { node: 'spectra', port: 'spectra' }, to: { node: 'draw', port: 'spectra' } },
        { from: { node: 'draw', port: 'frames' }, to: { node: 'out', port: 'frames' } },
        { from: { node: 'load', port: 'audio' }, to: { node: 'out', port: 'audio' } },
      ],
    }
    const editor = await chrome.open('/', { viewport: { width: 1440, height: 900 } })
    const { page } = editor
    await openWithGraph(page, graph)
    await waitForFirstRun(page, 120_000)
    const before = await runCount(page)
    const header = await page.locator('[data-node-id="load"] .node-header').boundingBox()
    if (!header) throw new Error('The Load Audio node is not on the canvas')
    await dropFile(page, toneWav(440, 1.5, 24000), 'tone.wav', header.x + 40, header.y + 10)
    const run = await waitForRun(page, before, 120_000)
    expect(run.failed).toEqual([])

    // The frames as the editor holds them, as RGBA (rounded as the exporter rounds them).
    const frames = await page.evaluate(() => {
      const value = window.__synesthete?.services.runs.get('out').outputs?.video
      if (value?.kind !== 'frames') throw new Error('Video Output has no frames')
      const rgba = value.frames.map((planes) => {
        const bytes = new Uint8Array(value.width * value.height * 4)
        for (let i = 0; i < value.width * value.height; i++) {
          for (let c = 0; c < 3; c++)
            bytes[i * 4 + c] = Math.round(
              Math.min(1, Math.max(0, planes[Math.min(c, planes.length - 1)][i])) * 255,
            )
          bytes[i * 4 + 3] = 255
        }
        let text = ''
        for (const b of bytes) text += String.fromCharCode(b)
        return btoa(text)
      })
      return { fps: value.fps, width: value.width, height: value.height, rgba }
    })
    expect(frames).toMatchObject({ fps: 8, width: 96, height: 64 })
    expect(frames.rgba).toHaveLength(12) // 1.5 s at 8 frames a second

    await page.locator('[data-node-id="out"] .thumb-frame').click()
    const dialog = page.locator('[data-testid="large-preview"]')
    await dialog.waitFor()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: /WebM/ }).click(),
    ])
    expect(download.suggestedFilename()).toBe('e2e_tone.webm')
    const path = await download.path()
    const webm = await readFile(path)
    await screenshot(page, 'frames-webm-download')
    expect(unexpected(editor.errors)).toEqual([])

    const { page: harness, errors } = await openHarness()
    const grids = await harness.evaluate(([rgba, w, h]) => window.videoHarness.grids(rgba, w, h), [
      frames.rgba,
      frames.width,
      frames.height,
    ] as const)
    const middle = 6
    const report = await playback(harness, webm.toString('base64'), [(middle + 0.5) / 8])
    const shown = report.seeks[0].grid
    const mean = meanAbs(shown, grids[middle])
    const worst = maxAbs(shown, grids[middle])
    console.info(
      `editor: ${webm.length} bytes; ` +
        summary(
          report,
          `frame ${middle}: ${mean.toFixed(2)} levels mean, ${worst.toFixed(2)} worst cell`,
        ),
    )
    expect([report.width, report.height]).toEqual([96, 64])
    expect(Math.abs(report.durationSec - 1.5)).toBeLessThanOrEqual(0.001)
    expect(report.ended).toBe(true)
    expect(mean).toBeLessThanOrEqual(MEAN_LEVELS)
    expect(worst).toBeLessThanOrEqual(WORST_LEVELS)
    expectTone(report.audio, { hz: 440, durationSec: 1.5, startSec: 0 })
    expect(errors).toEqual([])
  })
})
