import { describe, expect, it } from 'vitest'
import { registry } from '../../nodes/index'
import { UserError } from '../../src/engine/errors'
import { parseGraphText } from '../../src/engine/validate'
import { graphInFile } from '../../src/media/graph-file'
import { encodePng } from '../../src/media/png'
import { pngChunks } from '../../src/media/png-chunks'
import { GRAPH_TEXT_KEY, WAV_GRAPH_CHUNK } from '../../src/media/provenance'
import { riffChunks } from '../../src/media/riff'
import { encodeWav, readWavHeader } from '../../src/media/wav'

function thrown(fn: () => unknown): UserError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    return error as UserError
  }
  throw new Error('expected a UserError')
}

const GRAPH = JSON.stringify({
  format: 'synesthete-graph',
  version: 1,
  nodes: [{ id: 'a', type: 'audio/load', params: {}, position: { x: 0, y: 0 } }],
  edges: [],
})

describe('the WAV writer refuses what its header cannot hold', () => {
  const silence = (channels: number) => ({
    sampleRate: 8000,
    channels: Array.from({ length: channels }, () => new Float32Array(1)),
  })

  it('16384 float channels: over the 16-bit block align (65535 bytes a frame), refused with the limit', () => {
    const error = thrown(() => encodeWav(silence(16384), 'float32'))
    expect(error.message).toBe(
      'A WAV file holds at most 16383 channels of 32-bit float (a frame is at most 65535 bytes); this audio has 16384.',
    )
    expect(error.hint).toBe('Use fewer channels, or 16-bit PCM (up to 32767 channels).')
    expect(thrown(() => encodeWav(silence(21846), 'pcm24')).message).toMatch(
      /at most 21845 channels of 24-bit PCM/,
    )
  })

  it('16383 float channels: written, and read back with the header it declares', () => {
    const header = readWavHeader(encodeWav(silence(16383), 'float32'))
    expect(header).toMatchObject({ channelCount: 16383, frames: 1, sampleFormat: 'float32' })
  })

  it('a byte rate over 32 bits is refused too', () => {
    const fast = { ...silence(16383), sampleRate: 384000 } // 384000 × 65532 B > 2^32
    expect(thrown(() => encodeWav(fast, 'float32')).message).toMatch(
      /cannot hold 16383 channels at 384000 Hz: its byte rate/,
    )
  })
})

describe('a graph chunk cut short is called cut short, not absent', () => {
  it('in a PNG', async () => {
    const png = encodePng(
      { width: 2, height: 1, channels: [Float32Array.of(0, 1)] },
      { [GRAPH_TEXT_KEY]: GRAPH },
    )
    const chunk = pngChunks(png).find((c) => c.type === 'tEXt')!
    const cut = png.slice(0, chunk.offset + 40) // inside the graph's JSON
    const found = await graphInFile(cut, 'picture.png')
    expect(found).toEqual({
      kind: 'unreadable',
      message: `“picture.png”: The file's graph chunk is cut short: it declares ${chunk.length} bytes but the file ends after 40. The file was truncated (an unfinished download or copy?).`,
    })
    // The whole file still opens its graph; a PNG without one is still "no graph".
    expect((await graphInFile(png, 'picture.png')).kind).toBe('graph')
    const plain = encodePng({ width: 2, height: 1, channels: [Float32Array.of(0, 1)] })
    expect((await graphInFile(plain.slice(0, plain.length - 5), 'p.png')).kind).toBe('no-graph')
  })

  it('in a WAV', async () => {
    const wav = encodeWav({ sampleRate: 8000, channels: [new Float32Array(8)] }, 'pcm16', [
      { id: WAV_GRAPH_CHUNK, data: new TextEncoder().encode(GRAPH) },
    ])
    const chunk = riffChunks(wav, 12).find((c) => c.id === WAV_GRAPH_CHUNK)!
    const found = await graphInFile(wav.slice(0, chunk.offset + 25), 'sound.wav')
    expect(found.kind).toBe('unreadable')
    expect(found.kind === 'unreadable' && found.message).toMatch(
      new RegExp(
        `graph chunk is cut short: it declares ${chunk.size} bytes but the file ends after 25\\.`,
      ),
    )
    expect((await graphInFile(wav, 'sound.wav')).kind).toBe('graph')
  })
})

describe('an infinite number in a graph (JSON 1e999, e.g. embedded in a PNG) is named, not "Invalid input"', () => {
  it('says which param and that it must be finite', () => {
    const text = GRAPH.replace('"params":{}', '"params":{"maxDurationSec":1e999}')
    const parsed = parseGraphText(text, registry)
    expect(parsed.ok).toBe(false)
    expect(!parsed.ok && parsed.problems.map((p) => p.message)).toEqual([
      'Node "a" (Load Audio): param "maxDurationSec" must be a finite number (got Infinity).',
    ])
    const negative = parseGraphText(text.replace('1e999', '-1e999'), registry)
    expect(!negative.ok && negative.problems[0].message).toMatch(/\(got -Infinity\)\.$/)
  })
})
