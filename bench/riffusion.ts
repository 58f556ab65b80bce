/**
 * Bench cases for the Riffusion format on 30 s of audio (3001 picture columns): encode (STFT
 * 17640/441 with a 4410 window, 512 mel rows, picture) and decode (mel inversion, Griffin-Lim
 * 32 iterations in 512-column chunks), at Riffusion's FFT size and at the fast 17280.
 */
import { melToPlane, riffusionMel, RIFFUSION_FRAMING } from '../src/dsp/riffusion'
import { riffusionDecode } from '../src/dsp/riffusion-decode'
import { mulberry32 } from '../src/engine/random'
import { threeMinutes } from './dsp'
import type { BenchCase } from './types'

let audio: Float32Array | undefined
const thirtySeconds = (): Float32Array => (audio ??= threeMinutes().slice(0, 30 * 44100))

function encode(): { plane: Float32Array; frames: number } {
  const { mel, frames } = riffusionMel(thirtySeconds(), RIFFUSION_FRAMING)
  const max = mel.reduce((m, v) => Math.max(m, v), 0)
  return { plane: melToPlane(mel, 512, frames, max, 0.25, 'truncate'), frames }
}

let picture: { plane: Float32Array; frames: number } | undefined

const decode = (fftSize: number) => () => {
  const { plane, frames } = (picture ??= encode())
  return riffusionDecode(plane, frames, 512, {
    framing: { ...RIFFUSION_FRAMING, fftSize },
    power: 0.25,
    maxValue: 30e6,
    inversion: 'least-squares',
    iterations: 32,
    momentum: 0.99,
    init: 'notebook',
    random: mulberry32(1),
    chunkColumns: 512,
    overlapColumns: 64,
    wrap: false,
  })
}

export const riffusionEncodeBench: BenchCase = {
  name: 'Riffusion encode, 30 s mono at 44.1 kHz (3001 × 512 picture)',
  repeats: 3,
  run: encode,
}

export const riffusionDecodeBench: BenchCase = {
  name: 'Riffusion decode, 30 s (3001 columns, FFT 17640, 32 iterations, 512-column chunks)',
  repeats: 1,
  goalSeconds: 15, // issue 14: at most half of real time
  run: decode(17640),
}

export const riffusionDecodeFastBench: BenchCase = {
  name: 'Riffusion decode, 30 s, FFT 17280 (a fast size; same window and hop)',
  repeats: 1,
  goalSeconds: 15,
  run: decode(17280),
}
