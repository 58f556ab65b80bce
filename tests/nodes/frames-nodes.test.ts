import { describe, expect, it } from 'vitest'
import { framesAdjust } from '../../nodes/frames-adjust'
import { spectrumFrames } from '../../nodes/spectrum-frames'
import { spectrumPicture } from '../../nodes/spectrum-picture'
import {
  paintedFrames,
  stableDiffusionFrames,
  strengthCurve,
} from '../../nodes/stable-diffusion-frames'
import { videoOutput } from '../../nodes/video-output'
import type { AnyNodeDefinition } from '../../src/engine/define-node'
import { UserError } from '../../src/engine/errors'
import type { AudioValue, FramesValue } from '../../src/engine/values'
import { defaultParams } from '../helpers/node-defaults'
import { createRunContext } from '../helpers/run-context'

const RATE = 22050
const tone = (hz: number, seconds: number): AudioValue => ({
  kind: 'audio',
  sampleRate: RATE,
  channels: [
    Float32Array.from({ length: Math.round(seconds * RATE) }, (_, i) =>
      Math.sin((2 * Math.PI * hz * i) / RATE),
    ),
  ],
})

async function spectraOf(audio: AudioValue, params = {}): Promise<FramesValue> {
  const out = await spectrumFrames.run(
    { audio },
    { ...defaultParams(spectrumFrames), ...params },
    createRunContext(),
  )
  return out.spectra
}

describe('Spectrum Frames', () => {
  it('gives one row of levels per frame: 72 frames of 256 bins for 3 s at 24 fps', async () => {
    const spectra = await spectraOf(tone(1000, 3))
    expect(spectra.frames).toHaveLength(72)
    expect([spectra.width, spectra.height, spectra.fps]).toEqual([256, 1, 24])
    expect(spectra.binHz).toHaveLength(256)
    const row = spectra.frames[36][0]
    const loudest = row.indexOf(Math.max(...row))
    expect(spectra.binHz?.[loudest]).toBeGreaterThan(970)
    expect(spectra.binHz?.[loudest]).toBeLessThan(1030)
    expect(Math.max(...row)).toBeGreaterThan(0.95) // a full-scale sine is near 0 dBFS
  })

  it('keeps the highest bin at half the sample rate, and refuses an empty range', async () => {
    const spectra = await spectraOf(tone(440, 0.5), { maxHz: 96000 })
    expect(spectra.binHz?.at(-1)).toBeCloseTo(RATE / 2, 6)
    await expect(spectraOf(tone(440, 0.5), { minHz: 12000 })).rejects.toThrow(UserError)
    await expect(
      spectraOf({ kind: 'audio', sampleRate: RATE, channels: [new Float32Array(0)] }),
    ).rejects.toThrow(/empty/)
  })
})

describe('Spectrum Picture, Frames Adjust and Video Output', () => {
  it('draws a picture per spectrum at the same frame rate, the same for the same seed', async () => {
    const spectra = await spectraOf(tone(440, 0.5), { fps: 8, bins: 32 })
    const params = {
      ...defaultParams(spectrumPicture),
      width: 48,
      height: 32,
      style: 'pie' as const,
    }
    const draw = async (seed: number) =>
      (await spectrumPicture.run({ spectra }, { ...params, seed }, createRunContext(seed))).frames
    const a = await draw(3)
    expect(a.frames).toHaveLength(spectra.frames.length)
    expect([a.width, a.height, a.fps, a.frames[0].length]).toEqual([48, 32, 8, 3])
    expect(a.binHz).toBeUndefined()
    expect(await draw(3)).toEqual(a)
    expect(await draw(4)).not.toEqual(a)
  })

  it('adjusts every frame and keeps the frame rate and soundtrack', async () => {
    const sound = tone(220, 0.25)
    const frames: FramesValue = {
      kind: 'frames',
      fps: 10,
      width: 4,
      height: 2,
      frames: [[Float32Array.of(0, 0.2, 0.4, 0.6, 0.8, 1, 1, 1)]],
      audio: sound,
    }
    const params = { ...defaultParams(framesAdjust), operation: 'invert' as const }
    const out = (await framesAdjust.run({ frames }, params, createRunContext())).frames
    expect(out.fps).toBe(10)
    expect(out.audio).toBe(sound)
    expect(Array.from(out.frames[0][0], (v) => Math.round(v * 255))).toEqual([
      255, 204, 153, 102, 51, 0, 0, 0,
    ])
  })

  it('attaches the sound to the frames as their soundtrack', async () => {
    const frames: FramesValue = {
      kind: 'frames',
      fps: 4,
      width: 2,
      height: 2,
      frames: [[new Float32Array(4)]],
    }
    const audio = tone(440, 2)
    const ctx = createRunContext()
    const { video } = await videoOutput.run({ frames, audio }, { name: 'v' }, ctx)
    expect(video.audio).toBe(audio)
    expect(video.frames).toBe(frames.frames)
    expect(ctx.reports.at(-1)?.message).toMatch(/sound is longer/)
  })
})

describe('Stable Diffusion per Frame', () => {
  it('spreads a strength curve evenly over the frames', () => {
    expect(strengthCurve('', 0.6, 3)).toEqual([0.6, 0.6, 0.6])
    expect(strengthCurve('0.9 0.5 0.9', 0, 5)).toEqual([0.9, 0.7, 0.5, 0.7, 0.9])
    expect(strengthCurve('0.3', 0, 2)).toEqual([0.3, 0.3])
    expect(strengthCurve('1, 0', 0, 1)).toEqual([1])
    expect(() => strengthCurve('0.5 2', 0, 3)).toThrow(UserError)
  })

  const frames: FramesValue = {
    kind: 'frames',
    fps: 4,
    width: 16,
    height: 16,
    frames: [0.1, 0.5, 0.9].map((v) => [0, 1, 2].map(() => new Float32Array(256).fill(v))),
  }
  const params = {
    ...defaultParams(stableDiffusionFrames),
    width: 64,
    height: 64,
    steps: 4,
    strength: 0.5,
  }

  it(
    'resumes a cancelled run: frames already painted come back, the result is unchanged',
    { timeout: 120_000 },
    async () => {
      paintedFrames.clear()
      const full = await stableDiffusionFrames.run({ frames }, params, createRunContext())
      expect(full.frames.frames).toHaveLength(3)
      expect([full.frames.width, full.frames.height, full.frames.fps]).toEqual([64, 64, 4])

      paintedFrames.clear()
      // Cancel as soon as the second frame starts.
      const cancelled = createRunContext(0, (ctx) => {
        if (ctx.reports.at(-1)?.message?.startsWith('frame 2 of 3')) ctx.controller.abort()
      })
      await expect(stableDiffusionFrames.run({ frames }, params, cancelled)).rejects.toThrow()
      expect(paintedFrames.size).toBe(1)

      const resumed = createRunContext()
      const again = await stableDiffusionFrames.run({ frames }, params, resumed)
      expect(resumed.runReport?.work).toBe('3 frames, 1 kept from an earlier run')
      expect(resumed.runReport?.tinyModel).toBe(true)
      expect(again.frames).toEqual(full.frames)
    },
  )

  it(
    'paints equal frames equally (one seed for all), and differently with a seed per frame',
    { timeout: 120_000 },
    async () => {
      paintedFrames.clear()
      const same: FramesValue = { ...frames, frames: [frames.frames[1], frames.frames[1]] }
      const one = await stableDiffusionFrames.run({ frames: same }, params, createRunContext())
      expect(one.frames.frames[1]).toEqual(one.frames.frames[0])
      const vary = { ...params, varySeed: true }
      const two = await stableDiffusionFrames.run({ frames: same }, vary, createRunContext())
      expect(two.frames.frames[1]).not.toEqual(two.frames.frames[0])
    },
  )
})

describe('frame nodes on a window of a longer sequence', () => {
  /** Six 16×16 RGB frames of smooth, distinct pictures. */
  const whole: FramesValue = {
    kind: 'frames',
    fps: 24,
    width: 16,
    height: 16,
    frames: Array.from({ length: 6 }, (_, f) =>
      [0, 1, 2].map((c) =>
        Float32Array.from(
          { length: 256 },
          (_, i) => 0.5 + 0.4 * Math.sin(0.3 * (i % 16) + 0.2 * Math.floor(i / 16) + f + 2 * c),
        ),
      ),
    ),
  }
  /** Frames 2–4 of the six, as a long render hands them on. */
  const window: FramesValue = {
    ...whole,
    frames: whole.frames.slice(2, 5),
    range: { start: 2, total: 6 },
  }

  it('Spectrum Frames makes only the frames asked for, saying where they sit', async () => {
    const audio = tone(440, 1)
    const all = await spectraOf(audio)
    const ctx = { ...createRunContext(), frames: { start: 10, count: 5 } }
    const part = await spectrumFrames.run({ audio }, defaultParams(spectrumFrames), ctx)
    expect(part.spectra.range).toEqual({ start: 10, total: 24 })
    expect(part.spectra.frames).toEqual(all.frames.slice(10, 15))
    const past = await spectrumFrames.run({ audio }, defaultParams(spectrumFrames), {
      ...createRunContext(),
      frames: { start: 30, count: 5 },
    })
    expect(past.spectra.frames).toEqual([])
    expect(past.spectra.range).toEqual({ start: 24, total: 24 })
  })

  const seeded = { seed: 7, varySeed: true, strengthCurve: '0.9 0.2', steps: 2 }
  const cases: { name: string; def: AnyNodeDefinition; port: string; params: object }[] = [
    { name: 'Frames Adjust', def: framesAdjust, port: 'frames', params: { operation: 'blur' } },
    {
      name: 'Spectrum Picture',
      def: spectrumPicture,
      port: 'spectra',
      params: { style: 'polar', width: 48, height: 32 },
    },
    {
      name: 'Stable Diffusion per Frame',
      def: stableDiffusionFrames,
      port: 'frames',
      params: seeded,
    },
    { name: 'Video Output', def: videoOutput, port: 'frames', params: {} },
  ]

  for (const { name, def, port, params } of cases)
    it(`${name} gives for frames 2–4 what it gives them in the whole`, async () => {
      paintedFrames.clear()
      const run = async (frames: FramesValue) => {
        const out = (await def.run(
          { [port]: frames },
          { ...defaultParams(def), ...params },
          createRunContext(),
        )) as Record<string, FramesValue>
        return Object.values(out)[0]
      }
      const all = await run(whole)
      const part = await run(window)
      expect(part.range).toEqual({ start: 2, total: 6 })
      expect(part.frames).toEqual(all.frames.slice(2, 5))
    }, 120_000)
})
