import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { registry } from '../../nodes'
import { loaderFor, paramReading } from '../../src/editor/controls/file-actions'
import { HEAD_BYTES } from '../../src/media/file-gate'
import { fixturePath } from '../helpers/fixtures'

/** The first bytes of a fixture, as the editor reads them from a dropped file. */
const head = (path: string) =>
  new Uint8Array(readFileSync(fixturePath(path))).subarray(0, HEAD_BYTES)
const ascii = (text: string) => new TextEncoder().encode(text)

describe('which loader a dropped file makes: the definitions decide, from the bytes', () => {
  it('sound in every format Load Audio reads (itself, or through the browser) makes Load Audio', () => {
    for (const file of [
      'media/sine-500hz-u8-mono.wav',
      'media/tone-440hz-mono-1s.mp3',
      'media/tone-660-990hz-stereo-1s.ogg',
      'media/tone-660-990hz-stereo-1s.opus',
      'media/tone-1000-500hz-stereo-0.5s.flac',
      'media/tone-660-990hz-stereo-1s.m4a',
      'media/tone-660-990hz-stereo-1s.webm',
    ]) {
      const found = loaderFor(registry, head(file))
      expect([file, found?.def.type, found?.param]).toEqual([file, 'audio/load', 'file'])
    }
  })

  it('a picture makes Load Image, whatever the name says', () => {
    const png = head('media/png/grey16.png')
    expect(loaderFor(registry, png)?.def.type).toBe('image/load')
    // JPEG: Load Image takes it and says to convert it (it reads PNG).
    expect(loaderFor(registry, Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 0x10))?.def.type).toBe(
      'image/load',
    )
  })

  it('nothing any node reads makes nothing', () => {
    for (const bytes of [ascii('%PDF-1.7\n'), ascii('{"nodes": []}'), ascii('MThd\0\0\0\x06')])
      expect(loaderFor(registry, bytes)).toBeUndefined()
  })

  it('dropped on a node, a file goes to its file param only if that node reads it', () => {
    const loadAudio = registry.get('audio/load')!
    expect(paramReading(loadAudio, head('media/tone-440hz-mono-1s.mp3'))).toBe('file')
    expect(paramReading(loadAudio, head('media/png/grey16.png'))).toBeUndefined()
    expect(paramReading(registry.get('audio/mix')!, head('media/tone-440hz-mono-1s.mp3'))).toBe(
      undefined,
    )
  })
})
