import { describe, expect, it } from 'vitest'
import { loopAudio } from '../../nodes/loop-audio'
import { loopFinder } from '../../nodes/loop-finder'
import { repaintLong } from '../../nodes/repaint-long'
import type { ImageValue, LatentValue } from '../../src/engine/values'
import { createRunContext, defaultParams, mulberry32 } from '../helpers/run-context'

describe('Loop Finder', () => {
  it('searches a connected latent and gives loop points in picture columns', async () => {
    // A latent repeating every 25 latent columns (200 picture columns), 80 wide.
    const random = mulberry32(3)
    const pattern = Float32Array.from({ length: 4 * 8 * 25 }, () => random())
    const data = Float32Array.from({ length: 4 * 8 * 80 }, (_, i) => {
      const c = Math.floor(i / 640)
      const y = Math.floor((i % 640) / 80)
      return pattern[c * 200 + y * 25 + ((i % 80) % 25)]
    })
    const latent: LatentValue = { kind: 'latent', shape: [1, 4, 8, 80], data }
    const image: ImageValue = {
      kind: 'image',
      width: 640,
      height: 4,
      channels: [new Float32Array(2560)],
    }
    const out = await loopFinder.run(
      { image, latent },
      defaultParams(loopFinder.params),
      createRunContext(),
    )
    expect(out.period.value).toBe(200)
    expect(out.end.value - out.start.value).toBe(200)
    // 0→b, a→b, a→end
    expect(out.image.width).toBe(out.end.value + 200 + (640 - out.start.value))
  })

  it('refines latent loop points on the picture, and nudges both by one param', async () => {
    // The picture repeats every 203 columns; its latent (8 columns per latent column) can only
    // say "about 25 latent columns".
    const random = mulberry32(9)
    const rows = 8
    const pattern = Float32Array.from({ length: rows * 203 }, () => random())
    const width = 800
    const plane = Float32Array.from(
      { length: rows * width },
      (_, i) => pattern[Math.floor(i / width) * 203 + ((i % width) % 203)],
    )
    const image: ImageValue = { kind: 'image', width, height: rows, channels: [plane] }
    const latentWidth = width / 8
    const data = Float32Array.from({ length: rows * latentWidth }, (_, i) => {
      const y = Math.floor(i / latentWidth)
      let sum = 0
      for (let k = 0; k < 8; k++) sum += plane[y * width + (i % latentWidth) * 8 + k]
      return sum / 8
    })
    const latent: LatentValue = { kind: 'latent', shape: [1, 1, rows, latentWidth], data }
    const params = { ...defaultParams(loopFinder.params), minPeriod: 150 }
    const found = await loopFinder.run({ image, latent }, params, createRunContext())
    expect(found.end.value - found.start.value).toBe(203)
    const nudged = await loopFinder.run(
      { image, latent },
      { ...params, nudgeBoth: 5 },
      createRunContext(),
    )
    expect([nudged.start.value, nudged.end.value]).toEqual([
      found.start.value + 5,
      found.end.value + 5,
    ])
  })
})

describe('Loop Audio', () => {
  it('turns loop points in columns into samples and plays 0→b, a→b, a→end', async () => {
    const x = Float32Array.from({ length: 1000 }, (_, i) => i)
    const out = await loopAudio.run(
      {
        audio: { kind: 'audio', sampleRate: 1000, channels: [x] },
        start: { kind: 'number', value: 2 },
        end: { kind: 'number', value: 5 },
      },
      { ...defaultParams(loopAudio.params), samplesPerColumn: 100, crossfadeMs: 0 },
      createRunContext(),
    )
    const y = out.audio.channels[0]
    expect(y.length).toBe(500 + 300 + 800)
    expect([y[499], y[500], y[799], y[800], y[y.length - 1]]).toEqual([499, 200, 499, 200, 999])
  })
})

describe('Repaint Long Picture', () => {
  it('joins chunk latents without seams: at strength 0 the tiny model’s VAE gives 8×8 block means everywhere', async () => {
    // The tiny model's VAE is an exact 8 × 8 block average / repeat (models/README.md): with
    // nothing repainted, the joined picture must be the block means, overlaps included.
    const width = 200
    const height = 64
    const plane = Float32Array.from(
      { length: width * height },
      (_, i) => 0.5 + 0.4 * Math.sin((i % width) / 9) * Math.cos(Math.floor(i / width) / 7),
    )
    const origin = { sampleRate: 44100, fftSize: 2048, hopSize: 512 }
    const image: ImageValue = {
      kind: 'image',
      width,
      height,
      channels: [plane, plane, plane],
      origin,
    }
    const params = {
      ...defaultParams(repaintLong.params),
      strength: 0,
      height: 64,
      chunkWidth: 64,
      overlap: 24,
    }
    const out = await repaintLong.run({ image }, params, createRunContext())
    expect([out.image.width, out.image.height]).toEqual([width, height])
    expect(out.latent.shape).toEqual([1, 4, 8, 25])
    expect(out.image.origin).toEqual(origin) // the whole picture, scaled: the same sound
    let worst = 0
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        let mean = 0
        const bx = Math.floor(x / 8) * 8
        const by = Math.floor(y / 8) * 8
        for (let j = 0; j < 8; j++)
          for (let i = 0; i < 8; i++) mean += plane[(by + j) * width + bx + i] / 64
        worst = Math.max(worst, Math.abs(out.image.channels[0][y * width + x] - mean))
      }
    expect(worst).toBeLessThan(2e-3)
  })
})
