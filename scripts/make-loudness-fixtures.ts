/**
 * Makes the loudness meter's reference fixtures, tests/fixtures/loudness/*.wav (16-bit PCM,
 * a few seconds each, deterministic: closed-form tones and a seeded PRNG, no clock), then
 * measures each with ffmpeg's `ebur128` filter and writes what ffmpeg said to
 * tests/fixtures/loudness/ffmpeg.json, so the tests compare against ffmpeg without needing it.
 * Run: `npx tsx scripts/make-loudness-fixtures.ts` (ffmpeg on PATH).
 */

import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { mulberry32 } from '../src/engine/random'
import { encodeWav } from '../src/media/wav'
import { ffmpegLoudness, ffmpegVersion } from '../tests/helpers/ffmpeg-loudness'

const DIR = fileURLToPath(new URL('../tests/fixtures/loudness/', import.meta.url))

/** White noise (uniform, rms `rms`) through a one-pole low pass y += c·(x − y). */
function noise(n: number, seed: number, rms: number, smoothing = 1): Float32Array {
  const random = mulberry32(seed)
  const out = new Float32Array(n)
  let y = 0
  for (let i = 0; i < n; i++) {
    y += smoothing * ((random() * 2 - 1) * Math.sqrt(3) * rms - y)
    out[i] = y
  }
  return out
}

const tone = (n: number, rate: number, hz: number, amp: number, phase = 0): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate + phase))

/** Raised-cosine fade in and out over `fade` samples: an abrupt start rings in any interpolator. */
const faded = (x: Float32Array, fade: number): Float32Array =>
  x.map((v, i) => {
    const edge = Math.min(i, x.length - 1 - i)
    return edge >= fade ? v : v * 0.5 * (1 - Math.cos((Math.PI * edge) / fade))
  })

const add = (...parts: Float32Array[]): Float32Array =>
  parts.reduce((acc, p) => acc.map((v, i) => v + p[i]))

interface Fixture {
  file: string
  description: string
  sampleRate: number
  channels: Float32Array[]
}

function fixtures(): Fixture[] {
  const secs = (rate: number, s: number) => Math.round(rate * s)
  const list: Fixture[] = []
  {
    const r = 48000
    const n = secs(r, 2)
    list.push({
      file: 'sine1k_mono_48000.wav',
      description: '1 kHz sine, −20 dBFS peak, mono 48 kHz, 2 s',
      sampleRate: r,
      channels: [tone(n, r, 1000, 0.1)],
    })
  }
  {
    const r = 44100
    const n = secs(r, 2)
    list.push({
      file: 'noise_stereo_44100.wav',
      description: 'seeded low-passed noise, different in each channel, stereo 44.1 kHz, 2 s',
      sampleRate: r,
      channels: [noise(n, 1, 0.25, 0.3), noise(n, 2, 0.15, 0.6)],
    })
  }
  {
    const r = 22050
    const n = secs(r, 3)
    list.push({
      file: 'chord_mono_22050.wav',
      description:
        '110 + 440 + 5000 Hz sines, mono 22.05 kHz, 3 s (shelf and high pass both matter)',
      sampleRate: r,
      channels: [add(tone(n, r, 110, 0.3), tone(n, r, 440, 0.2), tone(n, r, 5000, 0.2))],
    })
  }
  {
    const r = 48000
    const n = secs(r, 2)
    list.push({
      file: 'quiet_stereo_48000.wav',
      description: 'quiet noise near −45 LUFS, stereo 48 kHz, 2 s',
      sampleRate: r,
      channels: [noise(n, 3, 0.005, 0.5), noise(n, 4, 0.004, 0.5)],
    })
  }
  {
    const r = 44100
    const n = secs(r, 1)
    list.push({
      file: 'silence_stereo_44100.wav',
      description: 'digital silence, stereo 44.1 kHz, 1 s',
      sampleRate: r,
      channels: [new Float32Array(n), new Float32Array(n)],
    })
  }
  {
    const r = 44100
    const burst = secs(r, 0.8)
    const n = secs(r, 3.8)
    const signal = new Float32Array(n)
    signal.set(noise(burst, 5, 0.3, 0.5))
    signal.set(tone(n - burst, r, 1000, 0.001), burst)
    list.push({
      file: 'gating_mono_44100.wav',
      description:
        '0.8 s loud noise then 3 s of a 1 kHz sine at −60 dBFS, mono 44.1 kHz: the relative gate drops the quiet part',
      sampleRate: r,
      channels: [signal],
    })
  }
  {
    const r = 44100
    const n = secs(r, 2)
    list.push({
      file: 'intersample_stereo_44100.wav',
      description:
        'left: sine at fs/4 with phase π/4, amplitude 0.95 (samples peak 3 dB under the wave); 50 ms fades; right: 1 kHz at 0.5; stereo 44.1 kHz, 2 s',
      sampleRate: r,
      channels: [faded(tone(n, r, r / 4, 0.95, Math.PI / 4), 2205), tone(n, r, 1000, 0.5)],
    })
  }
  {
    const r = 22050
    const n = secs(r, 3)
    list.push({
      file: 'bass_stereo_22050.wav',
      description: '40 Hz and 60 Hz sines (left, right) at 0.5, stereo 22.05 kHz, 3 s',
      sampleRate: r,
      channels: [tone(n, r, 40, 0.5), tone(n, r, 60, 0.5)],
    })
  }
  return list
}

mkdirSync(DIR, { recursive: true })
const measured = fixtures().map(({ file, description, sampleRate, channels }) => {
  const path = join(DIR, file)
  writeFileSync(path, encodeWav({ sampleRate, channels }, 'pcm16'))
  const ffmpeg = ffmpegLoudness(path)
  console.log(file, ffmpeg)
  return { file, description, sampleRate, channels: channels.length, ffmpeg }
})
writeFileSync(
  join(DIR, 'ffmpeg.json'),
  JSON.stringify({ ffmpeg: ffmpegVersion(), fixtures: measured }, null, 2) + '\n',
)
