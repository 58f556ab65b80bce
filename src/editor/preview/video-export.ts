/**
 * Frames (and their soundtrack) to a WebM file in the browser: VP8 video and Opus audio from
 * WebCodecs' encoders, muxed by src/media/webm.ts. Faster than real time and frame-exact,
 * unlike recording a canvas with MediaRecorder. Where WebCodecs is missing the PNG zip and
 * the ffmpeg command are the way out (the error says so).
 */
import type { AudioValue, FramesValue } from '../../engine/values'
import {
  muxWebm,
  OPUS_RATE,
  opusHead,
  opusSoundtrack,
  type MuxChunk,
  type WebmAudioTrack,
} from '../../media/webm'

const unit = (v: number) => (v > 0 ? (v < 1 ? v : 1) : 0) // NaN → 0

/**
 * Frame i as an I420 picture (4:2:0, BT.601 studio range), cropped to `width × height` (even
 * sizes). VP8's one colour space is BT.601's (RFC 6386 §9.2), which decoders read with 16–235
 * levels; handed RGBA, Chromium's encoder converts with BT.709 full range instead (and says so
 * only in decoderConfig.colorSpace, which neither VP8 nor our WebM carries), so every colour
 * came back wrong: a saturated blue 54,54,217 played back as 45,33,220. So the conversion is
 * ours, by ITU-R BT.601-7 §2.5: Y′ = 0.299 R + 0.587 G + 0.114 B,
 * Y = 16 + 219 Y′, Cb = 128 + 224 (B − Y′) / 1.772, Cr = 128 + 224 (R − Y′) / 1.402, chroma
 * from the mean colour of each 2 × 2 block.
 */
function frameI420(
  value: FramesValue,
  index: number,
  width: number,
  height: number,
): Uint8Array<ArrayBuffer> {
  const planes = value.frames[index]
  const [r, g, b] = planes.length < 3 ? [planes[0], planes[0], planes[0]] : planes
  const chromaWidth = width / 2
  const out = new Uint8Array((width * height * 3) / 2)
  const cbAt = width * height
  const crAt = cbAt + (width * height) / 4
  for (let y = 0; y < height; y += 2) {
    for (let x = 0; x < width; x += 2) {
      let rSum = 0
      let bSum = 0
      let lumaSum = 0
      for (let py = y; py < y + 2; py++) {
        for (let px = x; px < x + 2; px++) {
          const at = py * value.width + px
          const red = unit(r[at])
          const blue = unit(b[at])
          const luma = 0.299 * red + 0.587 * unit(g[at]) + 0.114 * blue
          out[py * width + px] = Math.round(16 + 219 * luma)
          rSum += red
          bSum += blue
          lumaSum += luma
        }
      }
      const c = (y / 2) * chromaWidth + x / 2
      out[cbAt + c] = Math.round(128 + (224 * (bSum - lumaSum)) / 4 / 1.772)
      out[crAt + c] = Math.round(128 + (224 * (rSum - lumaSum)) / 4 / 1.402)
    }
  }
  return out
}

/** What frameI420 writes, for VideoFrame (VP8 cannot carry it; this is its default). */
const BT601_STUDIO: VideoColorSpaceInit = {
  matrix: 'smpte170m',
  primaries: 'smpte170m',
  transfer: 'smpte170m',
  fullRange: false,
}

function chunkOf(chunk: EncodedVideoChunk | EncodedAudioChunk): MuxChunk {
  const data = new Uint8Array(chunk.byteLength)
  chunk.copyTo(data)
  const durationUs = chunk.duration ?? undefined
  return { timestampUs: chunk.timestamp, key: chunk.type === 'key', data, durationUs }
}

const asError = (failure: unknown) =>
  failure instanceof Error ? failure : new Error('The video encoder failed')

const noWebCodecs = () =>
  new Error(
    'This browser cannot encode video (no WebCodecs VP8/Opus). Download the PNG zip and the WAV, and join them with ffmpeg.',
  )

async function encodeVideo(
  value: FramesValue,
  onProgress: (fraction: number) => void,
): Promise<{ chunks: MuxChunk[]; width: number; height: number }> {
  const width = value.width - (value.width % 2)
  const height = value.height - (value.height % 2)
  if (width < 2 || height < 2) throw new Error('Frames must be at least 2 × 2 pixels for video.')
  if (typeof VideoEncoder === 'undefined') throw noWebCodecs()
  const config: VideoEncoderConfig = {
    codec: 'vp8',
    width,
    height,
    framerate: value.fps,
    bitrate: Math.min(20e6, Math.max(2e5, width * height * value.fps * 0.3)),
  }
  if (!(await VideoEncoder.isConfigSupported(config)).supported) throw noWebCodecs()
  const chunks: MuxChunk[] = []
  let failure: unknown
  const encoder = new VideoEncoder({
    output: (chunk) => chunks.push(chunkOf(chunk)),
    error: (error) => (failure = error),
  })
  encoder.configure(config)
  const keyEvery = Math.max(1, Math.round(value.fps))
  for (let i = 0; i < value.frames.length; i++) {
    const frame = new VideoFrame(frameI420(value, i, width, height), {
      format: 'I420',
      colorSpace: BT601_STUDIO,
      codedWidth: width,
      codedHeight: height,
      timestamp: Math.round((i * 1e6) / value.fps),
      duration: Math.round(1e6 / value.fps),
    })
    encoder.encode(frame, { keyFrame: i % keyEvery === 0 })
    frame.close()
    // Keep the queue short so frames do not pile up in memory.
    while (encoder.encodeQueueSize > 4) await new Promise((r) => setTimeout(r, 1))
    if (failure) break
    onProgress((i + 1) / value.frames.length)
  }
  if (!failure) await encoder.flush()
  encoder.close()
  if (failure) throw asError(failure)
  return { chunks, width, height }
}

async function encodeAudio(audio: AudioValue): Promise<WebmAudioTrack> {
  if (typeof AudioEncoder === 'undefined') throw noWebCodecs()
  const channels = opusSoundtrack(audio)
  const config: AudioEncoderConfig = {
    codec: 'opus',
    sampleRate: OPUS_RATE,
    numberOfChannels: channels.length,
    bitrate: 128_000,
  }
  if (!(await AudioEncoder.isConfigSupported(config)).supported) throw noWebCodecs()
  const chunks: MuxChunk[] = []
  let description: Uint8Array | undefined
  let failure: unknown
  const encoder = new AudioEncoder({
    output: (chunk, meta) => {
      chunks.push(chunkOf(chunk))
      const given = meta?.decoderConfig?.description
      if (given && !description)
        description = ArrayBuffer.isView(given)
          ? new Uint8Array(given.buffer, given.byteOffset, given.byteLength).slice()
          : new Uint8Array(given).slice()
    },
    error: (error) => (failure = error),
  })
  encoder.configure(config)
  const length = channels[0].length
  const block = OPUS_RATE / 10
  for (let start = 0; start < length && !failure; start += block) {
    const frames = Math.min(block, length - start)
    const data = new Float32Array(frames * channels.length)
    channels.forEach((c, k) => data.set(c.subarray(start, start + frames), k * frames))
    const piece = new AudioData({
      format: 'f32-planar',
      sampleRate: OPUS_RATE,
      numberOfFrames: frames,
      numberOfChannels: channels.length,
      timestamp: Math.round((start * 1e6) / OPUS_RATE),
      data,
    })
    encoder.encode(piece)
    piece.close()
  }
  if (!failure) await encoder.flush()
  encoder.close()
  if (failure) throw asError(failure)
  // OpusHead's pre-skip (bytes 10–11) tells the muxer the codec delay.
  const head = description ?? opusHead(channels.length, 312, OPUS_RATE)
  const preSkip = head.length >= 12 ? head[10] | (head[11] << 8) : 0
  return {
    codec: 'A_OPUS',
    sampleRate: OPUS_RATE,
    channels: channels.length,
    codecPrivate: head,
    preSkip,
    chunks,
    durationSec: audio.channels[0].length / audio.sampleRate,
  }
}

/** The frames as a WebM video, with their soundtrack when they carry one. */
export async function framesToWebm(
  value: FramesValue,
  onProgress: (fraction: number) => void = () => undefined,
): Promise<Uint8Array<ArrayBuffer>> {
  const video = await encodeVideo(value, (f) => onProgress(0.9 * f))
  const audio = value.audio && (await encodeAudio(value.audio))
  onProgress(1)
  const bytes = muxWebm({
    video: { codec: 'V_VP8', ...video },
    audio,
    durationSec: value.frames.length / value.fps,
  })
  return new Uint8Array(bytes)
}
