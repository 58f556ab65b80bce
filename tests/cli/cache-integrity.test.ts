import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DiskCache } from '../../src/cli/disk-cache'
import { render } from '../../src/cli/render'
import { GRAPH_FORMAT, GRAPH_VERSION, type GraphDocument } from '../../src/engine/document'
import { decodeWav } from '../../src/media/wav'
import { at, capture, tempGraph } from '../helpers/cli-run'

const audio = (sampleRate: number) => ({
  audio: {
    kind: 'audio' as const,
    sampleRate,
    channels: [Float32Array.from({ length: 2000 }, (_, i) => Math.sin(i / 10))],
  },
})

/** Replaces the first `from` in a file's bytes by `to` (same length). */
function edit(path: string, from: string, to: string): void {
  const bytes = readFileSync(path)
  const at = bytes.indexOf(from)
  expect(at, `"${from}" in ${path}`).toBeGreaterThan(0)
  bytes.write(to, at)
  writeFileSync(path, bytes)
}

function flipByte(path: string, fromEnd: number): void {
  const bytes = readFileSync(path)
  bytes[bytes.length - fromEnd] ^= 0x40
  writeFileSync(path, bytes)
}

describe('DiskCache checksums', () => {
  it('finds a flipped byte in the body, removes the entry, says so, and stores it again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synesthete-integrity-'))
    const damaged: string[] = []
    const cache = new DiskCache(dir, undefined, { onDamaged: (k, p) => damaged.push(`${k} ${p}`) })
    await cache.set('k', { outputs: audio(44100) })
    flipByte(join(dir, 'k.bin'), 100)
    expect(await cache.get('k')).toBeUndefined()
    expect(damaged).toEqual(['k does not match its checksum (changed or damaged on disk)'])
    expect(readdirSync(dir)).toEqual([])
    await cache.set('k', { outputs: audio(44100) })
    expect((await cache.get('k'))?.outputs).toEqual(audio(44100))
  })

  it('finds an edited header (the sample rate) although the entry still decodes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synesthete-integrity-'))
    const damaged: string[] = []
    const cache = new DiskCache(dir, undefined, { onDamaged: (k) => damaged.push(k) })
    await cache.set('k', { outputs: audio(44100) })
    edit(join(dir, 'k.bin'), '"sampleRate":44100', '"sampleRate":44101')
    expect(await cache.get('k')).toBeUndefined()
    expect(damaged).toEqual(['k'])
  })

  it('takes an entry of an older format as a quiet miss', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synesthete-integrity-'))
    const damaged: string[] = []
    writeFileSync(join(dir, 'old.bin'), 'SYNV1 an entry from before checksums')
    const cache = new DiskCache(dir, undefined, { onDamaged: (k) => damaged.push(k) })
    expect(await cache.get('old')).toBeUndefined()
    expect(damaged).toEqual([])
    expect(readdirSync(dir)).toEqual([])
  })
})

describe('npm run render over a damaged disk cache', () => {
  const graph: GraphDocument = {
    format: GRAPH_FORMAT,
    version: GRAPH_VERSION,
    nodes: [
      { id: 'load', type: 'audio/load', params: {}, position: at(0), mode: 'normal' },
      {
        id: 'out',
        type: 'audio/output',
        params: { name: 'copy', format: 'float32' },
        position: at(2),
        mode: 'normal',
      },
    ],
    edges: [{ from: { node: 'load', port: 'audio' }, to: { node: 'out', port: 'audio' } }],
  }

  it('recomputes every damaged entry with a warning and writes the same output as before', async () => {
    const { dir, file } = tempGraph(graph)
    const cache = join(dir, 'cache')
    const first = capture()
    const args = (out: string) => [file, '--cache', cache, '--out', join(dir, out)]
    expect(await render(args('first'), first.io)).toBe(0)
    // The WAV's provenance carries the time it was made: compare what it sounds like.
    const sound = (out: string) => {
      const wav = decodeWav(readFileSync(join(dir, out, 'copy.wav')))
      const bytes = wav.channels.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength))
      return {
        sampleRate: wav.sampleRate,
        same: (b: Buffer[]) => bytes.every((c, i) => c.equals(b[i])),
        bytes,
      }
    }
    const reference = sound('first')
    expect(reference.sampleRate).toBe(44100)
    const entries = readdirSync(cache).filter((n) => n.endsWith('.bin'))
    expect(entries).toHaveLength(2) // the loaded sound and the output's

    // A flipped byte in every entry's samples.
    for (const name of entries) flipByte(join(cache, name), 50)
    const flipped = capture()
    expect(await render(args('flipped'), flipped.io)).toBe(0)
    expect(sound('flipped').sampleRate).toBe(44100)
    expect(sound('flipped').same(reference.bytes)).toBe(true)
    const warnings = flipped.err.filter((l) => l.startsWith('! The cache entry'))
    expect(warnings).toHaveLength(entries.length)
    expect(warnings[0]).toMatch(/does not match its checksum .*: computing it again\./)
    expect(flipped.out.join('\n')).toMatch(/0 from cache/)

    // An edited sample rate in every entry that has one.
    for (const name of readdirSync(cache).filter((n) => n.endsWith('.bin'))) {
      if (readFileSync(join(cache, name)).includes('"sampleRate":44100'))
        edit(join(cache, name), '"sampleRate":44100', '"sampleRate":44101')
    }
    const edited = capture()
    expect(await render(args('edited'), edited.io)).toBe(0)
    expect(sound('edited').sampleRate).toBe(44100)
    expect(sound('edited').same(reference.bytes)).toBe(true)
    expect(edited.err.some((l) => /checksum/.test(l))).toBe(true)

    // Untouched, the entries serve the next run whole.
    const again = capture()
    expect(await render(args('again'), again.io)).toBe(0)
    expect(again.err.filter((l) => l.startsWith('! The cache entry'))).toEqual([])
    expect(again.out.join('\n')).toMatch(/2 nodes, 2 from cache/)
  })
})
