/**
 * Synthesises the bundled demo clip, public/samples/synesthete-demo.wav (CC0, made here): about
 * 6 s at 44.1 kHz, 16-bit stereo, peak −1 dBFS. Four bars of Am – F – C – G as FM plucks in
 * arpeggio with a ping-pong echo, a soft sine bass, a rising sine sweep and noise hi-hats: tonal
 * lines, a glide and broadband clicks, so every spectrogram reading has something to show.
 * Deterministic: a seeded PRNG, no clock. Run: `npx tsx scripts/make-sample.ts`.
 */

import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { encodeWav } from '../src/media/wav'

const RATE = 44100
const DURATION_SEC = 6
const N = RATE * DURATION_SEC
const PEAK = 10 ** (-1 / 20) // −1 dBFS
const BEAT_SEC = 0.375 // 160 BPM eighth notes: 4 per chord, 16 in the clip
const OUT = fileURLToPath(new URL('../public/samples/synesthete-demo.wav', import.meta.url))

/** mulberry32: small seeded PRNG, uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), a | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Equal temperament, A4 = 440 Hz: f = 440 · 2^((midi − 69)/12). */
const hz = (midi: number): number => 440 * 2 ** ((midi - 69) / 12)

const left = new Float64Array(N)
const right = new Float64Array(N)

/** Adds a mono voice at `startSec`, panned by constant power (pan −1 left … +1 right). */
function add(voice: Float64Array, startSec: number, pan: number): void {
  const angle = ((pan + 1) * Math.PI) / 4
  const [gl, gr] = [Math.cos(angle), Math.sin(angle)]
  const start = Math.round(startSec * RATE)
  for (let i = 0; i < voice.length && start + i < N; i++) {
    left[start + i] += voice[i] * gl
    right[start + i] += voice[i] * gr
  }
}

/**
 * An FM pluck (Chowning 1973): sin(2πf t + I(t) sin(2π·2f t)), the index I decaying faster than
 * the amplitude, so the attack is bright and the tail pure — harmonics fan out then fade.
 */
function pluck(freq: number, durSec: number, gain: number): Float64Array {
  const out = new Float64Array(Math.round(durSec * RATE))
  for (let i = 0; i < out.length; i++) {
    const t = i / RATE
    const index = 3.5 * Math.exp(-t * 9)
    const env = Math.min(1, t / 0.004) * Math.exp(-t * 3.2)
    out[i] =
      gain * env * Math.sin(2 * Math.PI * freq * t + index * Math.sin(4 * Math.PI * freq * t))
  }
  return out
}

/** Soft bass: a sine with a little second harmonic, slow attack and release. */
function bass(freq: number, durSec: number, gain: number): Float64Array {
  const out = new Float64Array(Math.round(durSec * RATE))
  for (let i = 0; i < out.length; i++) {
    const t = i / RATE
    const env = Math.min(1, t / 0.06, (durSec - t) / 0.12)
    const s = Math.sin(2 * Math.PI * freq * t) + 0.2 * Math.sin(4 * Math.PI * freq * t)
    out[i] = gain * env * s
  }
  return out
}

/**
 * Exponential sine sweep f(t) = f0 · (f1/f0)^(t/T); phase = 2π f0 T (k^(t/T) − 1) / ln k with
 * k = f1/f0 (Farina 2000), under a raised-cosine envelope.
 */
function sweep(f0: number, f1: number, durSec: number, gain: number): Float64Array {
  const out = new Float64Array(Math.round(durSec * RATE))
  const k = Math.log(f1 / f0)
  for (let i = 0; i < out.length; i++) {
    const t = i / RATE
    const phase = (2 * Math.PI * f0 * durSec * (Math.exp((k * t) / durSec) - 1)) / k
    out[i] = gain * 0.5 * (1 - Math.cos((2 * Math.PI * t) / durSec)) * Math.sin(phase)
  }
  return out
}

/** Hi-hat: white noise, first-difference high-passed, with an 18 ms exponential decay. */
function hat(random: () => number, gain: number): Float64Array {
  const out = new Float64Array(Math.round(0.12 * RATE))
  let previous = 0
  for (let i = 0; i < out.length; i++) {
    const noise = random() * 2 - 1
    out[i] = gain * Math.exp(-i / RATE / 0.018) * (noise - previous)
    previous = noise
  }
  return out
}

/** Ping-pong echo: each repeat crosses to the other side, `feedback` quieter. */
function pingPong(delaySec: number, feedback: number, mix: number): void {
  const d = Math.round(delaySec * RATE)
  const [wetL, wetR] = [new Float64Array(N), new Float64Array(N)]
  for (let i = d; i < N; i++) {
    wetL[i] = feedback * (right[i - d] * mix + wetR[i - d])
    wetR[i] = feedback * (left[i - d] * mix + wetL[i - d])
  }
  for (let i = 0; i < N; i++) [left[i], right[i]] = [left[i] + wetL[i], right[i] + wetR[i]]
}

const chords = [
  [57, 60, 64, 69], // A minor
  [53, 57, 60, 65], // F major
  [55, 60, 64, 67], // C major / G
  [55, 59, 62, 67], // G major
]
const arpeggio = [0, 1, 2, 3, 2, 1] // chord tones, up and down

chords.forEach((chord, bar) => {
  const barSec = bar * 4 * BEAT_SEC
  add(bass(hz(chord[0] - 12), 4 * BEAT_SEC + 0.05, 0.3), barSec, 0)
  for (let step = 0; step < 4; step++) {
    const note = chord[arpeggio[(bar * 4 + step) % arpeggio.length]] + 12
    add(pluck(hz(note), 1.2, 0.22), barSec + step * BEAT_SEC, step % 2 ? 0.35 : -0.35)
  }
})
pingPong(BEAT_SEC * 1.5, 0.35, 0.6)

add(sweep(180, 7000, 3.2, 0.05), 2.6, -0.2)
const random = mulberry32(0x5ee5)
for (let beat = 0; beat < 16; beat++) {
  add(hat(random, beat % 2 ? 0.06 : 0.03), beat * BEAT_SEC + BEAT_SEC / 2, 0.3)
}

// Fade the tail so the clip ends in silence, then scale the larger channel's peak to −1 dBFS.
const fade = Math.round(0.4 * RATE)
for (let i = 0; i < fade; i++) {
  const g = 0.5 * (1 + Math.cos((Math.PI * (i + 1)) / fade))
  left[N - fade + i] *= g
  right[N - fade + i] *= g
}
const peak = Math.max(...[left, right].map((c) => c.reduce((m, x) => Math.max(m, Math.abs(x)), 0)))
const channels = [left, right].map((c) => Float32Array.from(c, (x) => (x * PEAK) / peak))

mkdirSync(dirname(OUT), { recursive: true })
const bytes = encodeWav({ sampleRate: RATE, channels }, 'pcm16')
writeFileSync(OUT, bytes)
console.log(`Wrote ${OUT}: ${DURATION_SEC} s, ${(bytes.length / 1024).toFixed(0)} KiB`)
