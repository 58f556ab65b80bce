import { mkdtemp, open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nodeFileResolver } from '../../src/cli/files'
import { UserError } from '../../src/engine/errors'
import { checkBeforeReading, notReadBy } from '../../src/media/file-gate'
import { encodePng } from '../../src/media/png'
import { encodeWav } from '../../src/media/wav'
import { cpuTimeOf } from '../helpers/cpu-time'
import { fixtureBytes } from '../helpers/fixtures'
import { chunk, fmtChunk, riffWave } from './build-wav'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'synesthete-gate-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/**
 * A file of `size` bytes that starts with `head` and is sparse after it: the file system
 * stores no zeros, so a "2-hour WAV" or a 2.5 GB file costs nothing on disk.
 */
async function sparseFile(name: string, head: Uint8Array, size: number): Promise<string> {
  const path = join(dir, name)
  const file = await open(path, 'w')
  await file.write(head, 0, head.length, 0)
  await file.truncate(size)
  await file.close()
  return path
}

/** A WAV header for `seconds` of 44.1 kHz stereo 16-bit, the data chunk declared in full. */
const wavHead = (seconds: number) =>
  riffWave([
    fmtChunk({ channels: 2, rate: 44100, bits: 16 }),
    chunk('data', new Uint8Array(0), { declaredSize: seconds * 44100 * 4 }),
  ])

async function refusal(name: string) {
  const resolve = nodeFileResolver(dir)
  const before = process.memoryUsage().rss
  const { ms, value } = await cpuTimeOf(async () => {
    try {
      await resolve(`file:${name}`)
    } catch (error) {
      return error
    }
    throw new Error('expected a refusal')
  })
  expect(value).toBeInstanceOf(UserError)
  return { error: value as UserError, ms, grown: process.memoryUsage().rss - before }
}

describe('files are judged from their size and header before they are read whole (CLI)', () => {
  it('a 2-hour WAV (1.3 GB) is refused from its header, in milliseconds, with small memory', async () => {
    const head = wavHead(7200)
    await sparseFile('two-hours.wav', head, head.length + 7200 * 44100 * 4)
    const { error, ms, grown } = await refusal('two-hours.wav')
    expect(error.message).toBe('"two-hours.wav" is 2 h long; no reader takes more than 1 h.')
    expect(error.hint).toMatch(/Trim the file/)
    expect(ms).toBeLessThan(500) // CPU time: reading 1.3 GB would take seconds of it
    expect(grown).toBeLessThan(100e6)
  })

  it('a 2.5 GB file gets words, not Node\'s raw "greater than 2 GiB"', async () => {
    await sparseFile('huge.wav', wavHead(2), 2.5 * 2 ** 30)
    const { error, grown } = await refusal('huge.wav')
    expect(error.message).toBe('"huge.wav" is 2.5 GB; files over 2 GB cannot be loaded.')
    expect(grown).toBeLessThan(100e6)
  })

  it('a 1.99 GB file whose header declares 2 s is said not to be that sound', async () => {
    await sparseFile('liar.wav', wavHead(2), Math.floor(1.99 * 2 ** 30))
    const { error } = await refusal('liar.wav')
    expect(error.message).toBe(
      '"liar.wav" is 2.0 GB, but its header declares only 2.0 s of sound (345 kB): the rest is ' +
        'not that sound. The file is damaged or not what it claims to be.',
    )
  })

  it('ordinary files pass and are read whole', async () => {
    const wav = encodeWav({ sampleRate: 8000, channels: [new Float32Array(8000)] }, 'pcm16')
    await sparseFile('ok.wav', wav, wav.length)
    const read = await nodeFileResolver(dir)('file:ok.wav')
    expect(read.bytes).toEqual(wav)
  })
})

describe('checkBeforeReading on each format’s header', () => {
  const refused = (name: string, size: number, head: Uint8Array) => {
    try {
      checkBeforeReading(name, size, head)
    } catch (error) {
      expect(error).toBeInstanceOf(UserError)
      return (error as UserError).message
    }
    return undefined
  }

  it('an MP3 whose Xing header counts 2 hours of frames', () => {
    const mp3 = fixtureBytes('media/damage/tone-440hz-4s.mp3')
    expect(refused('ok.mp3', mp3.length, mp3)).toBeUndefined()
    // The frame count sits 8 bytes into the "Info" tag: 275,627 frames of 1152 less the
    // encoder's 2160 samples of delay and padding is just over 2 h at 44.1 kHz.
    const at = new TextDecoder('latin1').decode(mp3).indexOf('Info')
    new DataView(mp3.buffer).setUint32(at + 8, 275627)
    expect(refused('long.mp3', mp3.length, mp3)).toBe(
      '"long.mp3" is 2 h long; no reader takes more than 1 h.',
    )
  })

  it('a FLAC whose STREAMINFO declares 2 hours', () => {
    const flac = fixtureBytes('media/damage/tone-1000hz-4s.flac')
    expect(refused('ok.flac', flac.length, flac)).toBeUndefined()
    const samples = 2 * 3600 * 16000
    flac[21] = (flac[21] & 0xf0) | Math.floor(samples / 2 ** 32)
    new DataView(flac.buffer).setUint32(22, samples >>> 0)
    expect(refused('long.flac', flac.length, flac)).toMatch(/is 2 h long/)
  })

  it('a PNG of 100000 × 100000 pixels, from its IHDR', () => {
    const png = encodePng({ width: 2, height: 2, channels: [new Float32Array(4)] })
    expect(refused('ok.png', png.length, png)).toBeUndefined()
    new DataView(png.buffer).setUint32(16, 100_000)
    new DataView(png.buffer).setUint32(20, 100_000)
    expect(refused('big.png', png.length, png)).toMatch(/100000×100000 pixels; the limit is 33\.6/)
  })
})

describe('notReadBy: what a loader says of a file it will not read', () => {
  const loader = (description: string) => ({
    title: 'Load Thing',
    description,
    accepts: (head: Uint8Array) => head[0] === 0x89, // PNG's first byte
  })
  const png = fixtureBytes('media/png/grey16.png').subarray(0, 64)
  const text = new TextEncoder().encode('just some words')

  it('says nothing when the node reads the file, or judges no files', () => {
    expect(notReadBy(loader('Reads pictures.'), 'a.png', png)).toBeUndefined()
    expect(notReadBy({ title: 'Mix', description: 'Mixes.' }, 'notes.txt', text)).toBeUndefined()
  })

  it('names what the file is and what the node reads, from its first sentence', () => {
    expect(notReadBy(loader('Reads a PNG (any depth). Can crop it.'), 'notes.txt', text)).toBe(
      '“notes.txt” is plain text, which Load Thing does not read. Load Thing reads a PNG (any depth).',
    )
    expect(notReadBy(loader('Pictures, as PNG. More.'), 'notes.txt', text)).toBe(
      '“notes.txt” is plain text, which Load Thing does not read. Load Thing: Pictures, as PNG.',
    )
  })
})
