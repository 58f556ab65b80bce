import { beforeAll, describe, expect, it } from 'vitest'
import { initFastFft } from '../../src/dsp/fft'
import { hzToMel, melToHz } from '../../src/dsp/mel'
import {
  layoutPlanes,
  melToPlane,
  planeToMel,
  readPlanes,
  riffusionMel,
  RIFFUSION_FRAMING,
} from '../../src/dsp/riffusion'
import { riffusionDecode } from '../../src/dsp/riffusion-decode'
import { mulberry32 } from '../helpers/run-context'

const RATE = 44100
const tone = (hz: number, seconds: number, level = 0.5) =>
  Float32Array.from(
    { length: Math.round(seconds * RATE) },
    (_, i) => level * Math.sin((2 * Math.PI * hz * i) / RATE),
  )
const chord = (seconds: number) => {
  const [a, b, c] = [
    tone(261.63, seconds, 0.3),
    tone(329.63, seconds, 0.3),
    tone(392, seconds, 0.3),
  ]
  return a.map((v, i) => v + b[i] + c[i])
}
const sweep = (seconds: number) =>
  Float32Array.from({ length: Math.round(seconds * RATE) }, (_, i) => {
    const t = i / RATE
    return 0.5 * Math.sin(2 * Math.PI * (200 * t + (3000 / seconds) * t * t)) // 200 Hz → 6.2 kHz
  })

function encode(signal: Float32Array) {
  const { mel, frames } = riffusionMel(signal, RIFFUSION_FRAMING)
  const max = mel.reduce((m, v) => Math.max(m, v), 0)
  return { mel, frames, plane: melToPlane(mel, 512, frames, max, 0.25, 'truncate') }
}

function decode(plane: Float32Array, width: number, seed = 1) {
  return riffusionDecode(plane, width, 512, {
    framing: RIFFUSION_FRAMING,
    power: 0.25,
    maxValue: 30e6,
    inversion: 'least-squares',
    iterations: 32,
    momentum: 0.99,
    init: 'notebook',
    random: mulberry32(seed),
    chunkColumns: 512,
    overlapColumns: 64,
    wrap: false,
  })
}

/**
 * Distance between two mel spectrograms as Riffusion pictures see them: both normalised to
 * their peak, levels in dB, over the cells within 40 dB of the reference's peak (what the
 * picture shows above black-ish), mean |ΔdB|.
 */
function melDistanceDb(reference: Float32Array, other: Float32Array): number {
  const peak = (m: Float32Array) => m.reduce((a, v) => Math.max(a, v), 0)
  const [pr, po] = [peak(reference), peak(other)]
  let sum = 0
  let count = 0
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i] / pr
    if (r < 0.01) continue
    sum += Math.abs(20 * Math.log10(Math.max(other[i] / po, 1e-6) / r))
    count++
  }
  return sum / count
}

beforeAll(() => initFastFft())

describe('the Riffusion picture', () => {
  it('is one column per 10 ms and 512 rows: 1 s is 101 columns', () => {
    expect(encode(tone(440, 1)).frames).toBe(101)
  })

  it('puts a tone dark on the row of its mel bin, low frequencies at the bottom', () => {
    for (const hz of [300, 1000, 4000]) {
      const { plane, frames } = encode(tone(hz, 0.5))
      const t = Math.floor(frames / 2)
      let darkest = 0
      for (let y = 0; y < 512; y++)
        if (plane[y * frames + t] < plane[darkest * frames + t]) darkest = y
      expect(plane[darkest * frames + t]).toBeLessThan(4 / 255) // about the loudest: near black
      // Row y shows mel bin 511 − y, centred at corner 512 − y of 514 between 0 and 10 kHz.
      const centre = melToHz(((512 - darkest) * hzToMel(10000, 'htk')) / 513, 'htk')
      expect(Math.abs(hzToMel(centre, 'htk') - hzToMel(hz, 'htk'))).toBeLessThan(7) // one mel step is 6
    }
  })

  it('maps level to brightness as 255 − 255·(S/max)^0.25, truncated; silence is white', () => {
    const mel = Float32Array.from([16, 1, 0, 1 / 16])
    const plane = melToPlane(mel, 4, 1, 16, 0.25, 'truncate')
    // Row 0 is the top = the highest mel bin (index 3).
    expect(Array.from(plane, (v) => Math.round(v * 255))).toEqual([
      Math.floor(255 - 255 * (1 / 256) ** 0.25), // 191.25 → 191
      255,
      Math.floor(255 - 255 * (1 / 16) ** 0.25), // 127.5 → 127
      0,
    ])
    expect(melToPlane(mel, 4, 1, 0, 0.25, 'truncate').every((v) => v === 1)).toBe(true)
  })

  it('reads brightness back as max·(1 − c)^4, the exact inverse without quantisation', () => {
    const mel = Float32Array.from({ length: 12 }, (_, i) => (i * 7) % 11)
    const plane = melToPlane(mel, 4, 3, 10, 0.25, 'none')
    const back = planeToMel(plane, 3, 4, 10, 0.25)
    for (let i = 0; i < mel.length; i++) expect(back[i]).toBeCloseTo(mel[i], 4)
  })

  it('lays stereo out as Riffusion: red black, left in green, right in blue, and reads it back', () => {
    const left = Float32Array.from([0.1, 0.2])
    const right = Float32Array.from([0.7, 0.8])
    const [r, g, b] = layoutPlanes([left, right], 'riffusion-stereo')
    expect(Array.from(r)).toEqual([0, 0])
    expect(g).toBe(left)
    expect(b).toBe(right)
    expect(readPlanes([r, g, b], 'riffusion-stereo')).toEqual([left, right])
    expect(readPlanes([r, g, b], 'red')).toEqual([r])
    const [rc, gc, bc] = layoutPlanes([left, right], 'red-cyan')
    expect([rc, gc, bc]).toEqual([left, right, right])
    expect(readPlanes([rc, gc, bc], 'red-cyan')[1][0]).toBeCloseTo(0.7, 6)
    expect(readPlanes([rc, gc, bc], 'rgb')).toHaveLength(3)
  })
})

describe('the Riffusion round trip (encode → mel inversion → Griffin-Lim → encode)', () => {
  // Tolerance: the picture keeps 8 bits of (S/max)^0.25, a step of 4/255 in level relative to
  // S/max^0.25: 0.14 dB at the peak, 1.4 dB at −40 dB; mel inversion spreads each band's energy
  // over its band; Griffin-Lim's 32 iterations reach a spectral convergence near 0.1. Together
  // measured 1.1–1.6 dB mean over the cells within 40 dB of the peak; 3 dB leaves room for
  // another random start while a wrong orientation, scale or hop gives > 8 dB (checked below).
  it.each([
    ['a C major chord', chord(1.5)],
    ['a sweep from 200 Hz to 6.2 kHz', sweep(1.5)],
  ])('gives back %s within 3 dB (mean over the picture’s visible cells)', (_name, signal) => {
    const { mel, frames, plane } = encode(signal)
    const audio = decode(plane, frames)
    expect(audio.length).toBe(441 * (frames - 1))
    expect(audio.every(Number.isFinite)).toBe(true)
    const again = riffusionMel(audio, RIFFUSION_FRAMING)
    expect(again.frames).toBe(frames)
    expect(melDistanceDb(mel, again.mel)).toBeLessThan(3)
  })

  it('the distance tells sounds apart: chord against sweep is far above the tolerance', () => {
    const a = encode(chord(1.5)).mel
    const b = riffusionMel(sweep(1.5), RIFFUSION_FRAMING).mel
    expect(melDistanceDb(a, b)).toBeGreaterThan(8)
  })

  it('keeps stereo apart: green is heard on the left, blue on the right', () => {
    const left = encode(tone(440, 0.6))
    const right = encode(tone(2000, 0.6))
    const [, g, b] = layoutPlanes([left.plane, right.plane], 'riffusion-stereo')
    const [l, r] = readPlanes([new Float32Array(g.length), g, b], 'riffusion-stereo').map((p) =>
      decode(p, left.frames),
    )
    const level = (x: Float32Array, hz: number) => {
      let re = 0
      let im = 0
      for (let i = 0; i < x.length; i++) {
        re += x[i] * Math.cos((2 * Math.PI * hz * i) / RATE)
        im += x[i] * Math.sin((2 * Math.PI * hz * i) / RATE)
      }
      return Math.hypot(re, im)
    }
    expect(level(l, 440) / level(l, 2000)).toBeGreaterThan(30)
    expect(level(r, 2000) / level(r, 440)).toBeGreaterThan(30)
  })
})
