import { spawnSync } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { nodeFileResolver } from '../../src/cli/files'
import { UserError } from '../../src/engine/errors'
import { decodeAudio, type DecodedAudio } from '../../src/media/decode-audio'
import { fixturePath } from '../helpers/fixtures'
import { fixtureBytes } from '../helpers/fixtures'
import { rms, zeroCrossingHz } from './tone'

/**
 * Ogg Opus through the WASM decoder everywhere; M4A/AAC and Opus in WebM on the command line
 * through ffmpeg (skipped, saying so, where ffmpeg is not installed). The fixtures hold left
 * 0.5·sin(2π·660 t), right 0.25·sin(2π·990 t) for 1 s (tests/fixtures/README.md).
 */

const hasFfmpeg = spawnSync('ffmpeg', ['-version']).status === 0
if (!hasFfmpeg)
  console.log('ffmpeg is not on PATH: the M4A and WebM command-line tests are skipped.')

/** Frequency and amplitude (RMS·√2) over the middle 80 %, away from codec start-up and tails. */
function measure(audio: { channels: Float32Array[]; sampleRate: number }, channel: number) {
  const x = audio.channels[channel]
  const [from, to] = [Math.floor(x.length * 0.1), Math.floor(x.length * 0.9)]
  return {
    hz: zeroCrossingHz(x, audio.sampleRate, from, to),
    amplitude: rms(x, from, to) * Math.SQRT2,
  }
}

/** Both tones at their frequency within 0.2 % and level within 10 % (lossy codecs at 32–64 kb/s). */
function expectTheTwoTones(audio: DecodedAudio) {
  const [left, right] = [measure(audio, 0), measure(audio, 1)]
  expect(left.hz / 660).toBeCloseTo(1, 2)
  expect(right.hz / 990).toBeCloseTo(1, 2)
  expect(Math.abs(left.amplitude - 0.5)).toBeLessThan(0.05)
  expect(Math.abs(right.amplitude - 0.25)).toBeLessThan(0.025)
}

/** As the command line reads `--input load=FILE`: its file resolver, then the decoder. */
async function viaCommandLine(file: string): Promise<DecodedAudio> {
  const resolved = await nodeFileResolver(process.cwd())(fixturePath(`media/${file}`))
  return decodeAudio(resolved.bytes, { maxDurationSec: 600, name: resolved.name })
}

afterEach(() => {
  delete process.env.FFMPEG
})

describe('more audio formats', () => {
  it('decodes Ogg Opus with the WASM decoder: 48 kHz, both channels with their tones', async () => {
    const audio = await decodeAudio(fixtureBytes('media/tone-660-990hz-stereo-1s.opus'), {
      maxDurationSec: 600,
    })
    expect([audio.format, audio.sampleRate, audio.channels.length]).toEqual(['opus', 48000, 2])
    // Opus trims its pre-skip by the granule positions: one second, to within one 20 ms frame.
    expect(Math.abs(audio.channels[0].length - 48000)).toBeLessThanOrEqual(960)
    expectTheTwoTones(audio)
    expect(audio.damage).toBeUndefined()
  })

  it.skipIf(!hasFfmpeg)('reads M4A/AAC on the command line through ffmpeg', async () => {
    const audio = await viaCommandLine('tone-660-990hz-stereo-1s.m4a')
    expect([audio.format, audio.sampleRate, audio.channels.length]).toEqual(['wav', 44100, 2])
    // AAC frames are 1024 samples; ffmpeg may keep the encoder's priming frame.
    expect(Math.abs(audio.channels[0].length - 44100)).toBeLessThanOrEqual(2048)
    expectTheTwoTones(audio)
  })

  it.skipIf(!hasFfmpeg)('reads Opus in WebM on the command line through ffmpeg', async () => {
    const audio = await viaCommandLine('tone-660-990hz-stereo-1s.webm')
    expect([audio.sampleRate, audio.channels.length]).toEqual([48000, 2])
    expectTheTwoTones(audio)
  })

  it('says that ffmpeg is needed, and how to get it, when it is not on PATH', async () => {
    process.env.FFMPEG = '/nonexistent/ffmpeg'
    const error = await viaCommandLine('tone-660-990hz-stereo-1s.m4a').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).message).toMatch(
      /"tone-660-990hz-stereo-1s.m4a" is an MP4\/M4A file; the command line decodes it with ffmpeg, which is not on PATH/,
    )
    expect((error as UserError).hint).toMatch(/Install ffmpeg/)
  })
})
