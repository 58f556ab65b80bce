import { mulberry32 } from '../../src/engine/random'
import { describe, expect, it } from 'vitest'
import { UserError } from '../../src/engine/errors'
import { decodeWav, encodeWav, readWavChunks, readWavHeader } from '../../src/media/wav'
import type { WavEncoding } from '../../src/media/wav'
import { cpuTimeOf } from '../helpers/cpu-time'
import { fixtureBytes } from '../helpers/fixtures'
import { chunk, floatBytes, fmtChunk, intBytes, riffWave } from './build-wav'
import { sine } from './tone'

/** A deterministic signal covering the whole range, with values exactly at ±1. */
function testSignal(n: number, seed: number): Float32Array {
  let s = seed
  const x = Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648
    return (s / 2147483648) * 2 - 1
  })
  x[0] = 1
  x[1] = -1
  x[2] = 0
  return x
}

const maxError = (a: Float32Array, b: Float32Array): number =>
  a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0)

function userError(fn: () => unknown): UserError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    return error as UserError
  }
  throw new Error('expected a UserError')
}

describe('encodeWav and decodeWav', () => {
  // Rounding to the nearest step errs by at most half a step, 2^−bits of full scale; +1.0 is the
  // one value that clips, to one step below. Float32 is stored as is.
  const bound: Record<WavEncoding, number> = {
    pcm16: 0.5 / 32768,
    pcm24: 0.5 / 8388608,
    float32: 0,
  }

  for (const format of ['pcm16', 'pcm24', 'float32'] as const) {
    for (const channelCount of [1, 2, 3]) {
      it(`round-trips ${channelCount} channel(s) as ${format} within half a quantisation step`, () => {
        const channels = Array.from({ length: channelCount }, (_, c) => testSignal(1000, c + 1))
        const decoded = decodeWav(encodeWav({ sampleRate: 44100, channels }, format))
        expect(decoded.sampleRate).toBe(44100)
        expect(decoded.channels).toHaveLength(channelCount)
        decoded.channels.forEach((channel, c) => {
          expect(channel).toHaveLength(1000)
          const expected = channels[c].slice()
          if (format !== 'float32') expected[0] = 1 - 2 * bound[format] // +1 clips one step down
          expect(maxError(channel, expected)).toBeLessThanOrEqual(bound[format] * (1 + 1e-6))
        })
      })
    }
  }

  it('re-encodes decoded integer audio to the identical bytes', () => {
    for (const format of ['pcm16', 'pcm24'] as const) {
      const bytes = encodeWav({ sampleRate: 48000, channels: [testSignal(500, 7)] }, format)
      expect(encodeWav(decodeWav(bytes), format)).toEqual(bytes)
    }
  })

  it('clips out-of-range PCM samples, writes NaN as silence and keeps float overs', () => {
    const channels = [Float32Array.of(1.5, -1.5, NaN, Infinity, -Infinity, 0.25)]
    const pcm = decodeWav(encodeWav({ sampleRate: 8000, channels }, 'pcm16')).channels[0]
    expect(Array.from(pcm)).toEqual([32767 / 32768, -1, 0, 32767 / 32768, -1, 0.25])
    const float = decodeWav(encodeWav({ sampleRate: 8000, channels }, 'float32')).channels[0]
    expect(Array.from(float)).toEqual([1.5, -1.5, 0, 1, -1, 0.25])
  })

  it('rounds each sample to the nearest step, halves up as Math.round, in both PCM depths', () => {
    for (const [format, scale] of [
      ['pcm16', 32768],
      ['pcm24', 8388608],
    ] as const) {
      // Exact halves either side of zero, values just off them, the ends, and a random spread.
      const halves = [0.5, 1.5, -0.5, -1.5, -2.5, 2.5, 1000.5, -1000.5].map((k) => k / scale)
      const near = halves.map((v) => Math.fround(v * (1 + 2 ** -20)))
      const random = mulberry32(11)
      const spread = Array.from({ length: 2000 }, () => random() * 2 - 1)
      const values = Float32Array.from([...halves, ...near, -0, 1 - 1 / scale, -1, ...spread])
      const decoded = decodeWav(encodeWav({ sampleRate: 8000, channels: [values] }, format))
      const expected = Array.from(values, (v) => Math.min(scale - 1, Math.round(v * scale)) / scale)
      expect(Array.from(decoded.channels[0], (v) => v)).toEqual(expected.map((v) => v || 0))
    }
  })

  it('writes WAVE_FORMAT_EXTENSIBLE beyond two channels and plain headers otherwise', () => {
    const tag = (n: number) => {
      const bytes = encodeWav(
        { sampleRate: 8000, channels: Array.from({ length: n }, () => new Float32Array(4)) },
        'pcm24',
      )
      return new DataView(bytes.buffer).getUint16(20, true)
    }
    expect(tag(2)).toBe(1)
    expect(tag(3)).toBe(0xfffe)
  })

  it('carries extra chunks, padding odd sizes, and reads them back', () => {
    const note = new TextEncoder().encode('{"graph":1}') // 11 bytes: odd
    const bytes = encodeWav({ sampleRate: 8000, channels: [sine(100, 8000, 500)] }, 'pcm16', [
      { id: 'syns', data: note },
    ])
    expect(bytes.length % 2).toBe(0)
    expect(readWavChunks(bytes)).toEqual([{ id: 'syns', data: note }])
    expect(decodeWav(bytes).channels[0]).toHaveLength(100)
  })

  it('refuses reserved or malformed extra chunk ids', () => {
    const audio = { sampleRate: 8000, channels: [new Float32Array(2)] }
    expect(() => encodeWav(audio, 'pcm16', [{ id: 'data', data: new Uint8Array(1) }])).toThrow(
      /reserved/,
    )
    expect(() => encodeWav(audio, 'pcm16', [{ id: 'toolong', data: new Uint8Array(1) }])).toThrow()
  })

  it('refuses to write without channels, with ragged channels or at a fractional rate', () => {
    expect(() => encodeWav({ sampleRate: 8000, channels: [] }, 'pcm16')).toThrow(/no channels/)
    const ragged = [new Float32Array(3), new Float32Array(4)]
    expect(() => encodeWav({ sampleRate: 8000, channels: ragged }, 'pcm16')).toThrow(/same length/)
    expect(() =>
      encodeWav({ sampleRate: 8000.5, channels: [new Float32Array(1)] }, 'pcm16'),
    ).toThrow()
  })
})

describe('decodeWav on files from other writers', () => {
  // Made by ffmpeg 5.1 and SoX 14.4 (tests/fixtures/README.md): 0.05 s at 8 kHz of known sines.
  const t = (i: number) => i / 8000
  const expected = (i: number, amplitude: number, hz: number) =>
    amplitude * Math.sin(2 * Math.PI * hz * t(i))

  it('reads 8-bit unsigned PCM (ffmpeg) to within one step of the sine', () => {
    const { sampleRate, channels } = decodeWav(fixtureBytes('media/sine-500hz-u8-mono.wav'))
    expect([sampleRate, channels.length, channels[0].length]).toEqual([8000, 1, 400])
    channels[0].forEach((x, i) =>
      expect(Math.abs(x - expected(i, 0.5, 500))).toBeLessThanOrEqual(1 / 128),
    )
  })

  it('reads 24-bit WAVE_FORMAT_EXTENSIBLE with three channels (ffmpeg)', () => {
    const { channels } = decodeWav(fixtureBytes('media/sine-500hz-s24-3ch.wav'))
    expect(channels).toHaveLength(3)
    const refs = [
      (i: number) => expected(i, 0.5, 500),
      (i: number) => -expected(i, 0.25, 500),
      (i: number) => expected(i, 0.125, 1000),
    ]
    channels.forEach((channel, c) =>
      channel.forEach((x, i) => expect(Math.abs(x - refs[c](i))).toBeLessThanOrEqual(1 / 8388608)),
    )
  })

  it('reads 64-bit float with a fact chunk (SoX) to float32 precision', () => {
    const { channels } = decodeWav(fixtureBytes('media/sine-500-1000hz-f64-stereo.wav'))
    channels[0].forEach((x, i) => expect(x).toBeCloseTo(expected(i, 0.5, 500), 6))
    channels[1].forEach((x, i) => expect(x).toBeCloseTo(expected(i, 0.25, 1000), 6))
  })
})

describe('decodeWav on hand-built headers', () => {
  const stereo16 = (frames: number) =>
    intBytes(
      Array.from({ length: frames * 2 }, (_, i) => i * 100 - 1000),
      2,
    )

  it('maps 8-bit 0, 128 and 255 to −1, 0 and 127/128', () => {
    const bytes = riffWave([
      fmtChunk({ channels: 1, rate: 8000, bits: 8 }),
      chunk('data', Uint8Array.of(0, 128, 255)),
    ])
    expect(Array.from(decodeWav(bytes).channels[0])).toEqual([-1, 0, 127 / 128])
  })

  it('sign-extends 24-bit and 32-bit integers', () => {
    const values = [-8388608, -1, 0, 8388607]
    const bytes24 = riffWave([
      fmtChunk({ channels: 1, rate: 8000, bits: 24 }),
      chunk('data', intBytes(values, 3)),
    ])
    expect(Array.from(decodeWav(bytes24).channels[0])).toEqual(values.map((v) => v / 8388608))
    const values32 = [-2147483648, -256, 0, 2147483392]
    const bytes32 = riffWave([
      fmtChunk({ channels: 1, rate: 8000, bits: 32 }),
      chunk('data', intBytes(values32, 4)),
    ])
    expect(Array.from(decodeWav(bytes32).channels[0])).toEqual(values32.map((v) => v / 2147483648))
  })

  it('reads extensible float and 20-bit-in-24 PCM by their container size', () => {
    const float = riffWave([
      fmtChunk({ channels: 1, rate: 8000, bits: 32, extensible: { subFormat: 3 } }),
      chunk('data', floatBytes([0.5, -0.25], 4)),
    ])
    expect(Array.from(decodeWav(float).channels[0])).toEqual([0.5, -0.25])
    const pcm20 = riffWave([
      fmtChunk({ channels: 1, rate: 8000, bits: 24, extensible: { subFormat: 1, validBits: 20 } }),
      chunk('data', intBytes([0x400000 & ~0xf], 3)),
    ])
    expect(decodeWav(pcm20).channels[0][0]).toBe(0.5)
  })

  it('finds the chunks in any order, skipping odd-sized ones and their pad byte', () => {
    const data = chunk('data', stereo16(3))
    const fmt = fmtChunk({ channels: 2, rate: 22050, bits: 16 })
    const odd = chunk('LIST', Uint8Array.of(1, 2, 3))
    for (const order of [
      [fmt, odd, data],
      [data, odd, fmt],
      [odd, data, fmt],
    ]) {
      const { sampleRate, channels } = decodeWav(riffWave(order))
      expect(sampleRate).toBe(22050)
      expect(Array.from(channels[1])).toEqual([-900, -700, -500].map((v) => v / 32768))
    }
  })

  it('tolerates a writer that forgot the pad byte after an odd chunk', () => {
    const bytes = riffWave([
      fmtChunk({ channels: 2, rate: 8000, bits: 16 }),
      chunk('junk', Uint8Array.of(9), { pad: false }),
      chunk('data', stereo16(2)),
    ])
    expect(decodeWav(bytes).channels[0]).toHaveLength(2)
  })

  it('decodes the whole frames of a file cut short and says it was truncated', () => {
    const full = riffWave([
      fmtChunk({ channels: 2, rate: 8000, bits: 16 }),
      chunk('data', stereo16(10)),
    ])
    const cut = full.slice(0, full.length - 4 * 5 - 2) // 4.5 frames missing
    const header = readWavHeader(cut)
    expect(header).toMatchObject({ frames: 4, declaredFrames: 10, truncated: true })
    expect(decodeWav(cut).channels[0]).toHaveLength(4)
  })

  it('refuses a file cut before its first whole frame', () => {
    const full = riffWave([
      fmtChunk({ channels: 2, rate: 8000, bits: 16 }),
      chunk('data', stereo16(10)),
    ])
    expect(userError(() => decodeWav(full.slice(0, 44 + 3))).message).toMatch(/cut short/)
  })

  it('refuses empty, non-WAV, zero-channel, zero-rate and compressed files clearly', () => {
    expect(userError(() => decodeWav(new Uint8Array(0))).message).toMatch(/empty/)
    expect(userError(() => decodeWav(fixtureBytes('contract/tiny.png'))).message).toMatch(
      /Not a WAV/,
    )
    const data = chunk('data', new Uint8Array(4))
    const noChannels = riffWave([fmtChunk({ channels: 0, rate: 8000, bits: 16, block: 2 }), data])
    expect(userError(() => decodeWav(noChannels)).message).toMatch(/zero channels/)
    const noRate = riffWave([fmtChunk({ channels: 1, rate: 0, bits: 16 }), data])
    expect(userError(() => decodeWav(noRate)).message).toMatch(/0 Hz/)
    const muLaw = riffWave([fmtChunk({ tag: 7, channels: 1, rate: 8000, bits: 8 }), data])
    expect(userError(() => decodeWav(muLaw)).message).toMatch(/compressed \(µ-law\)/)
    const noData = riffWave([fmtChunk({ channels: 1, rate: 8000, bits: 16 })])
    expect(userError(() => decodeWav(noData)).message).toMatch(/no audio \("data"\) chunk/)
  })
})

describe('readWavHeader', () => {
  it('reads an hour-long header without touching samples', async () => {
    // 1 h of 48 kHz stereo 24-bit is 1 GB; the header alone is 44 bytes plus a few frames.
    const declared = 3600 * 48000 * 6
    const bytes = riffWave([
      fmtChunk({ channels: 2, rate: 48000, bits: 24 }),
      chunk('data', new Uint8Array(60), { declaredSize: declared }),
    ])
    // CPU time, which a busy machine does not inflate; reading 1 GB of samples takes seconds.
    const { ms, value: header } = await cpuTimeOf(() => readWavHeader(bytes))
    expect(ms).toBeLessThan(50)
    expect(header).toMatchObject({
      sampleRate: 48000,
      channelCount: 2,
      sampleFormat: 'pcm24',
      frames: 10,
      declaredFrames: 3600 * 48000,
      declaredDurationSec: 3600,
      truncated: true,
    })
  })

  it('reads the 64-bit data size of an RF64 file from its ds64 chunk', () => {
    const ds64 = new Uint8Array(28)
    new DataView(ds64.buffer).setBigUint64(8, 400n, true) // data size: 200 mono 16-bit frames
    const bytes = riffWave([
      chunk('ds64', ds64),
      fmtChunk({ channels: 1, rate: 8000, bits: 16 }),
      chunk('data', new Uint8Array(400), { declaredSize: 0xffffffff }),
      chunk('LIST', new Uint8Array(10)),
    ])
    bytes.set([0x52, 0x46, 0x36, 0x34], 0) // "RF64"
    expect(readWavHeader(bytes)).toMatchObject({
      frames: 200,
      declaredFrames: 200,
      truncated: false,
    })
    expect(decodeWav(bytes).channels[0]).toHaveLength(200)
  })

  it('treats a data size of 0xFFFFFFFF (streamed writers) as "to the end of the file"', () => {
    const bytes = riffWave([
      fmtChunk({ channels: 1, rate: 8000, bits: 16 }),
      chunk('data', new Uint8Array(200), { declaredSize: 0xffffffff }),
    ])
    expect(readWavHeader(bytes)).toMatchObject({
      frames: 100,
      declaredFrames: 100,
      truncated: false,
    })
  })
})
