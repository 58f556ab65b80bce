import { describe, expect, it } from 'vitest'
import { CancelledError, UserError } from '../../src/engine/errors'
import { decodeAudio, formatDuration, type DecodedAudio } from '../../src/media/decode-audio'
import { encodeWav } from '../../src/media/wav'
import { cpuTimeOf } from '../helpers/cpu-time'
import { fixtureBytes } from '../helpers/fixtures'
import { chunk, floatBytes, fmtChunk, riffWave } from './build-wav'
import { rms, sine, zeroCrossingHz } from './tone'

const decode = (bytes: Uint8Array, maxDurationSec = 600, name = 'clip') =>
  decodeAudio(bytes, { maxDurationSec, name })

async function userError(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    return error as UserError
  }
  throw new Error('expected a UserError')
}

/** Frequency and amplitude (RMS·√2) over the middle 80 %, away from codec start-up and tails. */
function measure(audio: DecodedAudio, channel: number) {
  const x = audio.channels[channel]
  const [from, to] = [Math.floor(x.length * 0.1), Math.floor(x.length * 0.9)]
  return {
    hz: zeroCrossingHz(x, audio.sampleRate, from, to),
    amplitude: rms(x, from, to) * Math.SQRT2,
  }
}

describe('decodeAudio on compressed fixtures (made with ffmpeg/SoX, see tests/fixtures/README.md)', () => {
  it('decodes a mono MP3 to one channel of a 440 Hz tone, 1 s long', async () => {
    const audio = await decode(fixtureBytes('media/tone-440hz-mono-1s.mp3'))
    expect(audio.format).toBe('mp3')
    expect(audio.sampleRate).toBe(44100)
    expect(audio.channels).toHaveLength(1)
    // Gapless decoding (LAME's delay/padding header) gives back the exact length; allow a frame.
    expect(Math.abs(audio.channels[0].length - 44100)).toBeLessThanOrEqual(1152)
    const { hz, amplitude } = measure(audio, 0)
    // 440 cycles measured: the estimate is within 0.1 %; 48 kb/s MP3 keeps the level within 5 %.
    expect(hz).toBeGreaterThan(439.5)
    expect(hz).toBeLessThan(440.5)
    expect(amplitude).toBeCloseTo(0.5, 1)
  })

  it('recognises an MP3 without an ID3 tag by its frame header', async () => {
    const tagged = fixtureBytes('media/tone-440hz-mono-1s.mp3')
    const id3Size = 10 + ((tagged[6] << 21) | (tagged[7] << 14) | (tagged[8] << 7) | tagged[9])
    const audio = await decode(tagged.slice(id3Size))
    expect([audio.format, audio.channels.length]).toEqual(['mp3', 1])
  })

  it('decodes a stereo Ogg Vorbis file to two channels with their own tones', async () => {
    const audio = await decode(fixtureBytes('media/tone-660-990hz-stereo-1s.ogg'))
    expect([audio.format, audio.sampleRate, audio.channels.length]).toEqual(['ogg', 22050, 2])
    expect(audio.channels[0].length).toBe(22050)
    const [left, right] = [measure(audio, 0), measure(audio, 1)]
    expect(left.hz / 660).toBeCloseTo(1, 2)
    expect(right.hz / 990).toBeCloseTo(1, 2)
    // Vorbis at quality 0 is coarse: levels within 15 % (measured 0.49 and 0.25).
    expect(Math.abs(left.amplitude - 0.5)).toBeLessThan(0.075)
    expect(Math.abs(right.amplitude - 0.25)).toBeLessThan(0.0375)
  })

  it('decodes FLAC losslessly: 16-bit samples of the two sines', async () => {
    const audio = await decode(fixtureBytes('media/tone-1000-500hz-stereo-0.5s.flac'))
    expect([audio.format, audio.sampleRate, audio.channels.length]).toEqual(['flac', 16000, 2])
    expect(audio.channels[0].length).toBe(8000)
    const refs = [sine(8000, 16000, 1000, 0.5), sine(8000, 16000, 500, 0.25)]
    // Lossless: only ffmpeg's rounding to 16 bits separates samples from the formula.
    audio.channels.forEach((channel, c) =>
      channel.forEach((x, i) =>
        expect(Math.abs(x - refs[c][i])).toBeLessThanOrEqual(1 / 32768 + 1e-7),
      ),
    )
  })
})

describe('decodeAudio refuses what it cannot use, saying why', () => {
  it('calls a 0-byte file empty', async () => {
    const error = await userError(decode(new Uint8Array(0), 600, 'song.wav'))
    expect(error.message).toBe('"song.wav" is empty (0 bytes).')
    expect(error.hint).toMatch(/choose the file again/)
  })

  it('recognises a PNG and points to Load Image', async () => {
    const error = await userError(decode(fixtureBytes('contract/tiny.png')))
    expect(error.message).toMatch(/not an audio file: it looks like a PNG image/)
    expect(error.hint).toMatch(/Load Image/)
  })

  it('recognises JSON and plain text', async () => {
    const json = new TextEncoder().encode('  {"format": "synesthete-graph"}')
    expect((await userError(decode(json))).message).toMatch(/looks like JSON text/)
    const text = new TextEncoder().encode('Hello, this is not a song.\n')
    expect((await userError(decode(text))).message).toMatch(/looks like plain text/)
  })

  it('names formats that only the browser or ffmpeg can read, and says what to do', async () => {
    const m4a = new Uint8Array(64)
    m4a.set(new TextEncoder().encode('\0\0\0\x20ftypM4A '), 0)
    const error = await userError(decode(m4a))
    expect(error.message).toMatch(/MP4\/M4A file, which only the browser's decoder .* or ffmpeg/)
    expect(error.hint).toMatch(
      /Install ffmpeg .* or convert the file to WAV, MP3, Ogg Vorbis, Ogg Opus or FLAC/,
    )
    const aiff = new TextEncoder().encode('FORM\0\0\0\x20AIFFCOMM')
    expect((await userError(decode(aiff))).message).toMatch(/AIFF/)
  })

  it('reports a cut-short or corrupt compressed stream as damaged', async () => {
    const ogg = fixtureBytes('media/tone-660-990hz-stereo-1s.ogg')
    expect((await userError(decode(ogg.slice(0, 200)))).message).toMatch(
      /could not be decoded as an Ogg Vorbis file: it seems damaged or cut short/,
    )
    const flac = fixtureBytes('media/tone-1000-500hz-stereo-0.5s.flac')
    const broken = flac.slice()
    for (let i = 300; i < broken.length; i += 7) broken[i] ^= 0x5a
    expect((await userError(decode(broken))).message).toMatch(/FLAC file: it seems damaged/)
    expect(
      (await userError(decode(fixtureBytes('media/tone-440hz-mono-1s.mp3').slice(0, 200)))).message,
    ).toMatch(/MP3/)
  })

  it('refuses a WAV that holds zero samples', async () => {
    const empty = riffWave([
      fmtChunk({ channels: 1, rate: 8000, bits: 16 }),
      chunk('data', new Uint8Array(0)),
    ])
    expect((await userError(decode(empty))).message).toMatch(/decodes to zero samples/)
  })

  it('refuses NaN and infinity in a float WAV, saying where', async () => {
    const bytes = riffWave([
      fmtChunk({ tag: 3, channels: 1, rate: 100, bits: 32 }),
      chunk('data', floatBytes([0, 0.5, NaN, Infinity], 4)),
    ])
    const error = await userError(decode(bytes))
    expect(error.message).toMatch(
      /2 invalid sample value\(s\) \(NaN or infinity\), the first at 0.020 s/,
    )
  })

  it('decodes what a cut-short WAV holds and flags it', async () => {
    const full = encodeWav({ sampleRate: 8000, channels: [sine(800, 8000, 500, 0.5)] }, 'pcm16')
    const audio = await decode(full.slice(0, 44 + 1000))
    expect(audio.truncated).toBe(true)
    expect(audio.channels[0]).toHaveLength(500)
  })

  it('stops when cancelled', async () => {
    const controller = new AbortController()
    controller.abort()
    const mp3 = fixtureBytes('media/tone-440hz-mono-1s.mp3')
    await expect(
      decodeAudio(mp3, { maxDurationSec: 600, signal: controller.signal }),
    ).rejects.toThrow()
    // Cancelled while the decoder loads: decoding stops before the first piece.
    const later = new AbortController()
    const pending = decodeAudio(repeat(mp3, 20), { maxDurationSec: 600, signal: later.signal })
    later.abort()
    await expect(pending).rejects.toBeInstanceOf(CancelledError)
  })
})

/** Concatenated MP3 files are one longer MP3 stream (frames are self-contained). */
function repeat(bytes: Uint8Array, times: number): Uint8Array {
  const out = new Uint8Array(bytes.length * times)
  for (let i = 0; i < times; i++) out.set(bytes, i * bytes.length)
  return out
}

describe('decodeAudio length limit', () => {
  it('refuses a one-hour WAV from its header alone, naming the duration and the limit', async () => {
    // 1 h of 44.1 kHz stereo 16-bit (635 MB): a zeroed buffer of that size whose pages are never
    // touched, so only the header written at its start is ever read; nothing more is allocated.
    const dataBytes = 3600 * 44100 * 4
    const head = riffWave([
      fmtChunk({ channels: 2, rate: 44100, bits: 16 }),
      chunk('data', new Uint8Array(0), { declaredSize: dataBytes }),
    ])
    const bytes = new Uint8Array(head.length + dataBytes)
    bytes.set(head)
    // CPU time, which a busy machine does not inflate: decoding 1 h would take seconds of it.
    const { ms, value: error } = await cpuTimeOf(() => userError(decode(bytes, 600, 'long.wav')))
    expect(ms).toBeLessThan(100)
    expect(error.message).toBe('"long.wav" is 1 h long; the limit is 10 min.')
    expect(error.hint).toMatch(/Max duration/)
  })

  it('does not call a WAV "1 h long" when its header claims 1 h but it holds 16 frames', async () => {
    const bytes = riffWave([
      fmtChunk({ channels: 2, rate: 44100, bits: 16 }),
      chunk('data', new Uint8Array(64), { declaredSize: 3600 * 44100 * 4 }),
    ])
    const audio = await decode(bytes, 600, 'liar.wav')
    expect(audio.channels[0]).toHaveLength(16)
    expect(audio.damage?.message).toMatch(
      /^"liar\.wav" is cut short, or its header is wrong: it declares 1 h but only 0\.0 s/,
    )
  })

  it('refuses a long FLAC from its STREAMINFO before decoding', async () => {
    const flac = fixtureBytes('media/tone-1000-500hz-stereo-0.5s.flac')
    // STREAMINFO's 36-bit sample count sits in bytes 21..25; claim 2 h at 16 kHz.
    const samples = 2 * 3600 * 16000
    flac[21] = (flac[21] & 0xf0) | Math.floor(samples / 2 ** 32)
    new DataView(flac.buffer).setUint32(22, samples >>> 0)
    const error = await userError(decode(flac))
    expect(error.message).toBe('"clip" is 2 h long; the limit is 10 min.')
  })

  it('stops decoding a long MP3 soon after the limit, estimating its length', async () => {
    // 120 copies of the 1 s fixture: about 2 min 8 s of audio (each copy keeps its padding).
    const { ms, value: error } = await cpuTimeOf(() =>
      userError(decode(repeat(fixtureBytes('media/tone-440hz-mono-1s.mp3'), 120), 30)),
    )
    expect(ms).toBeLessThan(2000)
    expect(error.message).toMatch(/^"clip" is about 2 min \d+ s long; the limit is 30.0 s\.$/)
  })

  it('formats durations the way people say them', () => {
    expect([6, 59.94, 60, 150, 3600, 3900].map(formatDuration)).toEqual([
      '6.0 s',
      '59.9 s',
      '1 min',
      '2 min 30 s',
      '1 h',
      '1 h 5 min',
    ])
  })
})
