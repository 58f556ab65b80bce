/**
 * The video export's browser checks (tests/e2e/frames.e2e.ts), on the runtime harness page
 * through `window.videoHarness`: it makes a frame sequence with a soundtrack, exports it with
 * the app's own `framesToWebm`, and plays a WebM back through Chromium's own demuxer and
 * decoders: a <video> element for the pictures, `decodeAudioData` for the sound.
 */
import { createRealFft } from '../../../src/dsp/fft'
import { framesToWebm } from '../../../src/editor/preview/video-export'
import type { FramesValue } from '../../../src/engine/values'

export interface PatternSpec {
  width: number
  height: number
  fps: number
  frameCount: number
  toneHz: number
  /** The soundtrack's length; the tone starts after `silenceSec` of silence. */
  toneSec: number
  silenceSec: number
  sampleRateHz: number
}

/** Side of the grid whose cell means stand for a picture. */
const GRID = 4

/** HSV (all 0–1) to RGB (0–1). */
function hsv(h: number, s: number, v: number): [number, number, number] {
  const f = (n: number) => {
    const k = (n + h * 6) % 6
    return v - v * s * Math.max(0, Math.min(k, 4 - k, 1))
  }
  return [f(5), f(3), f(1)]
}

/**
 * A moving colour pattern: frame i's background has hue i/12 of a turn (each frame differs
 * from its neighbours), and a light square moves from the left edge to the right one. Colours
 * stay inside 0.1–0.9 so the YUV round trip never clips. The soundtrack is silence, then a
 * steady tone: where the tone starts shows whether sound and pictures line up.
 */
export function pattern(spec: PatternSpec): FramesValue {
  const { width, height, frameCount } = spec
  const side = Math.round(height / 2)
  const frames = Array.from({ length: frameCount }, (_, i) => {
    const [r, g, b] = hsv(i / 12, 0.75, 0.85)
    const left = Math.round((i * (width - side)) / Math.max(1, frameCount - 1))
    const planes = [r, g, b].map((level) => new Float32Array(width * height).fill(level))
    for (let y = Math.round(height / 4); y < Math.round(height / 4) + side; y++)
      for (let x = left; x < left + side; x++) for (const p of planes) p[y * width + x] = 0.9
    return planes
  })
  const silent = Math.round(spec.silenceSec * spec.sampleRateHz)
  const tone = new Float32Array(Math.round(spec.toneSec * spec.sampleRateHz)).map((_, n) =>
    n < silent ? 0 : 0.5 * Math.sin((2 * Math.PI * spec.toneHz * (n - silent)) / spec.sampleRateHz),
  )
  return {
    kind: 'frames',
    fps: spec.fps,
    width,
    height,
    frames,
    audio: { kind: 'audio', sampleRate: spec.sampleRateHz, channels: [tone] },
  }
}

/** Frames as RGBA bytes, rounded as the exporter rounds them (grey frames to grey). */
export function framesRgba(value: FramesValue): Uint8ClampedArray[] {
  return value.frames.map((planes) => {
    const rgba = new Uint8ClampedArray(value.width * value.height * 4)
    for (let i = 0; i < value.width * value.height; i++) {
      for (let c = 0; c < 3; c++)
        rgba[i * 4 + c] = Math.round(planes[Math.min(c, planes.length - 1)][i] * 255)
      rgba[i * 4 + 3] = 255
    }
    return rgba
  })
}

/** Mean R, G, B (0–255) of each cell of a GRID × GRID grid, row by row. */
export function gridMeans(rgba: ArrayLike<number>, width: number, height: number): number[] {
  const sums = new Float64Array(GRID * GRID * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const cell = Math.floor((y * GRID) / height) * GRID + Math.floor((x * GRID) / width)
      const o = (y * width + x) * 4
      for (let c = 0; c < 3; c++) sums[cell * 4 + c] += rgba[o + c]
      sums[cell * 4 + 3]++
    }
  }
  const means: number[] = []
  for (let cell = 0; cell < GRID * GRID; cell++)
    for (let c = 0; c < 3; c++) means.push(sums[cell * 4 + c] / sums[cell * 4 + 3])
  return means
}

const base64 = (bytes: Uint8Array) => {
  let text = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(text)
}
const unbase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))

function once(target: EventTarget, type: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No "${type}" in ${timeoutMs} ms`)), timeoutMs)
    target.addEventListener(
      type,
      () => {
        clearTimeout(timer)
        resolve()
      },
      { once: true },
    )
    target.addEventListener('error', () => {
      clearTimeout(timer)
      const error = (target as HTMLMediaElement).error
      reject(new Error(`Media error ${error?.code}: ${error?.message}`))
    })
  })
}

export interface SeekReport {
  /** Where the test asked the video to be. */
  askedSec: number
  /** The presented frame's media time (requestVideoFrameCallback), when it reported one. */
  presentedSec: number | null
  grid: number[]
}

export interface AudioReport {
  durationSec: number
  sampleRate: number
  channels: number
  /** The strongest frequency of a Hann-windowed FFT of the middle, and its bin width. */
  peakHz: number
  binHz: number
  /** RMS of the middle half second, and when the sound first passes a tenth of full scale. */
  rms: number
  onsetSec: number
}

export interface PlaybackReport {
  width: number
  height: number
  durationSec: number
  seeks: SeekReport[]
  /** Played from the start: did 'ended' come, and where did it stop? */
  ended: boolean
  endSec: number
  playedFramesPresented: number
  audio: AudioReport | { error: string }
}

/** Seeks to `timeSec`, waits for the frame to be shown, and measures it. */
async function seekAndGrab(video: HTMLVideoElement, timeSec: number): Promise<SeekReport> {
  const presented = new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), 2000)
    video.requestVideoFrameCallback((_, meta) => {
      clearTimeout(timer)
      resolve(meta.mediaTime)
    })
  })
  const seeked = once(video, 'seeked', 10_000)
  video.currentTime = timeSec
  await seeked
  const presentedSec = await presented
  const canvas = new OffscreenCanvas(video.videoWidth, video.videoHeight)
  const context = canvas.getContext('2d', { willReadFrequently: true })
  if (!context) throw new Error('No 2D canvas')
  context.drawImage(video, 0, 0)
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height)
  return { askedSec: timeSec, presentedSec, grid: gridMeans(data, canvas.width, canvas.height) }
}

async function decodeSound(bytes: Uint8Array): Promise<AudioReport> {
  const context = new OfflineAudioContext({ numberOfChannels: 1, length: 1, sampleRate: 48000 })
  const buffer = await context.decodeAudioData(bytes.slice().buffer)
  const samples = buffer.getChannelData(0)
  const size = 32768
  const start = Math.max(0, Math.floor((samples.length - size) / 2))
  const windowed = new Float64Array(size)
  for (let n = 0; n < size && start + n < samples.length; n++)
    windowed[n] = samples[start + n] * (0.5 - 0.5 * Math.cos((2 * Math.PI * n) / size))
  const { re, im } = createRealFft(size, { backend: 'js' }).forward(windowed)
  let peak = 1
  for (let k = 1; k < re.length; k++)
    if (re[k] ** 2 + im[k] ** 2 > re[peak] ** 2 + im[peak] ** 2) peak = k
  const middle = samples.subarray(
    Math.max(0, Math.floor(samples.length / 2 - buffer.sampleRate / 4)),
    Math.floor(samples.length / 2 + buffer.sampleRate / 4),
  )
  const rms = Math.sqrt(middle.reduce((s, x) => s + x * x, 0) / middle.length)
  const onset = samples.findIndex((x) => Math.abs(x) > 0.1)
  return {
    durationSec: buffer.duration,
    sampleRate: buffer.sampleRate,
    channels: buffer.numberOfChannels,
    peakHz: (peak * buffer.sampleRate) / size,
    binHz: buffer.sampleRate / size,
    rms,
    onsetSec: onset / buffer.sampleRate,
  }
}

/**
 * Plays a WebM back in this page: metadata, a seek to the middle of each frame in `seekTimes`
 * (the frame drawn to a canvas and reduced to grid means), playing from the start to the end,
 * and the soundtrack decoded on its own.
 */
async function playback(webmBase64: string, seekTimes: number[]): Promise<PlaybackReport> {
  const bytes = unbase64(webmBase64)
  const url = URL.createObjectURL(new Blob([bytes], { type: 'video/webm' }))
  const video = document.createElement('video')
  video.muted = true
  video.preload = 'auto'
  document.body.append(video)
  try {
    const loaded = once(video, 'loadedmetadata', 10_000)
    video.src = url
    await loaded
    if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA)
      await once(video, 'loadeddata', 10_000)
    const seeks: SeekReport[] = []
    for (const time of seekTimes) seeks.push(await seekAndGrab(video, time))

    const rewound = once(video, 'seeked', 10_000)
    video.currentTime = 0
    await rewound
    let playedFramesPresented = 0
    const count = () =>
      video.requestVideoFrameCallback(() => {
        playedFramesPresented++
        count()
      })
    count()
    const ended = once(video, 'ended', 20_000).then(
      () => true,
      () => false,
    )
    await video.play()
    const didEnd = await ended
    const audio = await decodeSound(bytes).catch((error: unknown) => ({
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    }))
    return {
      width: video.videoWidth,
      height: video.videoHeight,
      durationSec: video.duration,
      seeks,
      ended: didEnd,
      endSec: video.currentTime,
      playedFramesPresented,
      audio,
    }
  } finally {
    video.remove()
    URL.revokeObjectURL(url)
  }
}

const api = {
  /** Exports the pattern with framesToWebm: the file (base64) and each frame's grid means. */
  exportPattern: async (spec: PatternSpec) => {
    const value = pattern(spec)
    const progress: number[] = []
    const started = performance.now()
    const webm = await framesToWebm(value, (f) => progress.push(f))
    return {
      webmBase64: base64(webm),
      bytes: webm.length,
      ms: performance.now() - started,
      progress,
      grids: framesRgba(value).map((rgba) => gridMeans(rgba, value.width, value.height)),
    }
  },
  /** Grid means of frames handed over as base64 RGBA (frames read from the editor). */
  grids: (rgbaBase64: string[], width: number, height: number) =>
    rgbaBase64.map((text) => gridMeans(unbase64(text), width, height)),
  playback,
}

export type VideoHarness = typeof api

declare global {
  interface Window {
    videoHarness: VideoHarness
  }
}

window.videoHarness = api
