import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { render } from '../../src/cli/render'
import { loadAudio } from '../../nodes/load-audio'
import { MemoryCache } from '../../src/engine/cache'
import type { NodeWarning } from '../../src/engine/define-node'
import { execute, type ExecutionEvent } from '../../src/engine/executor'
import { createRegistry } from '../../src/engine/registry'
import { decodeAudio, describeDamage } from '../../src/media/decode-audio'
import { mp3DeclaredFrames } from '../../src/media/declared-length'
import { encodeWav } from '../../src/media/wav'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { NodeStatus } from '../../src/editor/nodes/NodeStatus'
import { RunStore } from '../../src/editor/run/run-store'
import { fixtureBytes } from '../helpers/fixtures'
import { createRunContext } from '../helpers/run-context'
import { graphOf } from '../helpers/test-nodes'
import { sine } from './tone'

// Clean files made once with ffmpeg (tests/fixtures/README.md); each test damages a copy.
const MP3 = 'media/damage/tone-440hz-4s.mp3' // 4.0 s, 44.1 kHz mono
const OGG = 'media/damage/tone-660hz-10s.ogg' // 10.0 s, 22.05 kHz mono, ~1 s Ogg pages
const FLAC = 'media/damage/tone-1000hz-4s.flac' // 4.0 s, 16 kHz mono

const decode = (bytes: Uint8Array, name: string) =>
  decodeAudio(bytes, { maxDurationSec: 600, name })

/** `length` bytes from `from` overwritten with seeded noise (an LCG), as a bad copy would. */
function withGarbage(bytes: Uint8Array, from: number, length: number): Uint8Array {
  const out = bytes.slice()
  let s = 12345
  for (let i = from; i < Math.min(out.length, from + length); i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0
    out[i] = s >>> 24
  }
  return out
}

/** Offsets of the Ogg pages (RFC 3533 §6: "OggS", 27-byte header, lacing values, body). */
function oggPages(bytes: Uint8Array): { at: number; bodyAt: number; size: number }[] {
  const pages = []
  for (let at = 0; at + 27 <= bytes.length;) {
    const segments = bytes[at + 26]
    let size = 0
    for (let i = 0; i < segments; i++) size += bytes[at + 27 + i]
    pages.push({ at, bodyAt: at + 27 + segments, size })
    at += 27 + segments + size
  }
  return pages
}

afterEach(() => vi.restoreAllMocks())

describe('damaged compressed audio is loaded with a warning that says how much was lost', () => {
  it('the clean files decode whole, without a warning', async () => {
    for (const [file, seconds] of [
      [MP3, 4],
      [OGG, 10],
      [FLAC, 4],
    ] as const) {
      const audio = await decode(fixtureBytes(file), file)
      expect(audio.channels[0].length / audio.sampleRate).toBeCloseTo(seconds, 2)
      expect(audio.damage).toBeUndefined()
    }
    // The LAME Info header: 155 frames × 1152 − 576 delay − 1584 padding = 4.0 s at 44.1 kHz.
    expect(mp3DeclaredFrames(fixtureBytes(MP3))).toBe(176400)
  })

  it('MP3 with a quarter of its bytes overwritten: counted, measured, and no raw MPG123_ERR lines', async () => {
    const clean = fixtureBytes(MP3)
    const printed = vi.spyOn(console, 'error')
    const quarter = Math.floor(clean.length / 4)
    const audio = await decode(withGarbage(clean, Math.floor(clean.length * 0.4), quarter), 'm.mp3')
    expect(printed).not.toHaveBeenCalled()
    const damage = audio.damage!
    const decodedSec = audio.channels[0].length / 44100
    expect(damage.decodedSec).toBeCloseTo(decodedSec, 6)
    expect(damage.declaredSec).toBeCloseTo(4, 6)
    // A CBR file loses the frames its garbage covered: about a quarter of 4 s.
    expect(damage.lostFraction).toBeCloseTo(1 - decodedSec / 4, 6)
    expect(damage.lostFraction!).toBeGreaterThan(0.2)
    expect(damage.lostFraction!).toBeLessThan(0.3)
    expect(damage.decodeErrors).toBeGreaterThan(0)
    expect(damage.message).toMatch(
      /^"m\.mp3" is damaged or cut short: it declares 4\.0 s but only \d\.\d s could be read \(2\d % missing; the decoder skipped \d+ damaged frames?\)\. What could be read is loaded\.$/,
    )
  })

  it('MP3 with 200 bytes of garbage: the frames mpg123 skips without a word are still measured', async () => {
    const clean = fixtureBytes(MP3)
    const audio = await decode(withGarbage(clean, Math.floor(clean.length / 2), 200), 'm.mp3')
    // mpg123 resyncs silently here (no error reported), but the frames it skipped are missing.
    const decodedSec = audio.channels[0].length / 44100
    expect(audio.damage!.lostSec).toBeCloseTo(4 - decodedSec, 9)
    expect(audio.damage!.lostSec!).toBeGreaterThan(0.05)
    expect(audio.damage!.message).toMatch(/^"m\.mp3" is damaged or cut short: it declares 4\.0 s/)
  })

  it('a decoder that complains but loses nothing measurable: the complaints are told', () => {
    const damage = describeDamage('"x.mp3"', 44100, 44100, { frames: 44100, complete: true }, 3)
    expect(damage).toMatchObject({ decodeErrors: 3, cutShort: false })
    expect(damage!.lostFraction).toBeUndefined()
    expect(damage!.message).toBe(
      '"x.mp3" is damaged: the decoder skipped 3 damaged frames; 1.0 s could be read and is ' +
        'loaded. Listen for clicks or noise where it was damaged.',
    )
    expect(
      describeDamage('"x"', 44100, 44100, { frames: 44100, complete: true }, 0),
    ).toBeUndefined()
  })

  it('Ogg with a corrupt page: the damaged packets are counted, and what stopped the decoder is measured', async () => {
    const clean = fixtureBytes(OGG)
    const pages = oggPages(clean)
    expect(pages.length).toBeGreaterThan(8)
    // Pages 0 and 1 hold the Vorbis headers; page 5 is audio in the middle. Its whole body
    // overwritten: every packet on it is rejected, and the decoder carries on after it.
    const page = pages[5]
    const whole = (await decode(withGarbage(clean, page.bodyAt, page.size), 'o.ogg')).damage!
    expect(whole.decodeErrors).toBeGreaterThan(0)
    expect(whole.message).toMatch(/^"o\.ogg" is damaged: the decoder skipped \d+ damaged frames?;/)
    // 100 bytes overwritten inside page 4: here the decoder gives up, and what it never read
    // is measured against the last page's granule position (220,500 samples declared).
    const part = withGarbage(clean, pages[4].at + 47, 100)
    const audio = await decode(part, 'o.ogg')
    const damage = audio.damage!
    expect(damage.lostFraction).toBeCloseTo(1 - audio.channels[0].length / 220500, 9)
    expect(damage.lostFraction!).toBeGreaterThan(0.5)
    expect(damage.message).toMatch(/^"o\.ogg" is damaged or cut short: it declares 10\.0 s/)
  })

  it('Ogg cut short before its last pages: said to be cut short, without a made-up figure', async () => {
    const clean = fixtureBytes(OGG)
    const pages = oggPages(clean)
    const audio = await decode(clean.slice(0, pages[7].at), 'o.ogg')
    expect(audio.damage).toMatchObject({ cutShort: true })
    expect(audio.damage!.lostFraction).toBeUndefined()
    expect(audio.damage!.declaredSec).toBeUndefined()
    expect(audio.damage!.message).toMatch(/ends without its end-of-stream mark/)
    expect(audio.truncated).toBe(true)
  })

  it('FLAC cut in half: at least half of it is reported missing', async () => {
    const clean = fixtureBytes(FLAC)
    const audio = await decode(clean.slice(0, clean.length >> 1), 'f.flac')
    const decoded = audio.channels[0].length
    expect(decoded).toBeGreaterThan(0)
    expect(decoded).toBeLessThan(32000)
    // STREAMINFO declares 64,000 samples.
    expect(audio.damage!.lostFraction).toBeCloseTo(1 - decoded / 64000, 9)
    expect(audio.damage!.lostSec).toBeCloseTo((64000 - decoded) / 16000, 9)
    expect(audio.damage!.message).toMatch(/it declares 4\.0 s but only/)
  })

  it('FLAC with garbage inside: the decoder stops there, and the rest is reported missing', async () => {
    const clean = fixtureBytes(FLAC)
    const audio = await decode(withGarbage(clean, Math.floor(clean.length * 0.6), 500), 'f.flac')
    expect(audio.damage!.lostFraction!).toBeGreaterThan(0.3)
  })
})

describe('damaged WAV files', () => {
  const tone = () =>
    encodeWav({ sampleRate: 8000, channels: [sine(16000, 8000, 440, 0.5)] }, 'pcm16')

  it('a WAV whose data is cut short loads what it holds, saying how much is missing', async () => {
    const full = tone() // 2 s: 44-byte header + 32,000 data bytes
    const audio = await decode(full.slice(0, 44 + 24000), 'w.wav')
    expect(audio.channels[0]).toHaveLength(12000)
    expect(audio.damage).toMatchObject({ declaredSec: 2, decodedSec: 1.5, lostSec: 0.5 })
    expect(audio.damage!.lostFraction).toBeCloseTo(0.25, 12)
    expect(audio.damage!.message).toBe(
      '"w.wav" is cut short, or its header is wrong: it declares 2.0 s but only 1.5 s could be ' +
        'read (25 % missing). What could be read is loaded.',
    )
  })

  it('a 2 s WAV whose header claims 6 h 45 min is not called "6 h 45 min long"', async () => {
    const bytes = tone()
    // Data chunk size claims 6 h 45 min of 16-bit mono at 8 kHz.
    new DataView(bytes.buffer).setUint32(40, (6 * 3600 + 45 * 60) * 8000 * 2, true)
    const audio = await decode(bytes, 'liar.wav')
    expect(audio.channels[0]).toHaveLength(16000)
    expect(audio.damage!.message).toBe(
      '"liar.wav" is cut short, or its header is wrong: it declares 6 h 45 min but only 2.0 s ' +
        'could be read (over 99 % missing). What could be read is loaded.',
    )
    // Even with a limit far below what the header claims: what the file holds is what counts.
    const limited = await decodeAudio(bytes, { maxDurationSec: 10, name: 'liar.wav' })
    expect(limited.channels[0]).toHaveLength(16000)
  })
})

describe('the warning reaches the people', () => {
  const registry = createRegistry([loadAudio])
  const bytes = () => {
    const clean = fixtureBytes(FLAC)
    return clean.slice(0, clean.length >> 1)
  }

  it('Load Audio reports it through ctx.warn as data: a code and the figures', async () => {
    const warnings: NodeWarning[] = []
    const ctx = { ...createRunContext(), warn: (w: NodeWarning) => warnings.push(w) }
    const file = { ref: 'file:f.flac', name: 'f.flac', bytes: bytes() }
    const params = { file, mixdown: false, sampleRateHz: 0, maxDurationSec: 600 }
    const { audio } = await loadAudio.run({}, params, ctx)
    expect(warnings).toHaveLength(1)
    expect(warnings[0].code).toBe('audio/damaged')
    expect(warnings[0].data).toMatchObject({ declaredSec: 4, cutShort: false })
    expect(warnings[0].data!.lostSec).toBeCloseTo(4 - audio.channels[0].length / 16000, 9)
  })

  it('the executor passes it on as an event and on the result, and does not cache the result', async () => {
    const graph = graphOf([{ id: 'src', type: 'audio/load', params: { file: 'mem:f.flac' } }])
    const files = () => Promise.resolve({ name: 'f.flac', bytes: bytes() })
    const cache = new MemoryCache()
    const events: ExecutionEvent[] = []
    const first = await execute(graph, { registry, files, cache, onEvent: (e) => events.push(e) })
    const result = first.results.get('src')!
    expect(result.state).toBe('done')
    expect(result.warnings?.[0].code).toBe('audio/damaged')
    const event = events.find((e) => e.type === 'warning')
    expect(event).toMatchObject({
      type: 'warning',
      node: 'src',
      warning: { code: 'audio/damaged' },
    })
    // Run again: from the cache the warning would be lost, so the node runs and warns again.
    const second = await execute(graph, { registry, files, cache })
    expect(second.results.get('src')).toMatchObject({
      state: 'done',
      warnings: [{ code: 'audio/damaged' }],
    })
  })

  it('the CLI prints it on stderr, names the node, and still writes the output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synesthete-damaged-'))
    writeFileSync(join(dir, 'half.flac'), bytes())
    const graph = graphOf(
      [
        { id: 'load', type: 'audio/load', params: { file: 'file:half.flac' } },
        { id: 'out', type: 'audio/output', params: { name: 'copy' } },
      ],
      ['load.audio->out.audio'],
    )
    writeFileSync(join(dir, 'graph.json'), JSON.stringify(graph))
    // --quiet silences progress, not warnings: what was lost must still be said.
    for (const extra of [[], ['--quiet']]) {
      const err: string[] = []
      const io = { out: () => undefined, err: (line: string) => err.push(line) }
      const code = await render(
        [join(dir, 'graph.json'), '--out', join(dir, 'out'), '--no-cache', ...extra],
        io,
      )
      expect(code).toBe(0)
      expect(err.join('\n'), extra.join(' ')).toMatch(
        /! load: "half\.flac" is damaged or cut short: it declares 4\.0 s but only \d\.\d s could be read \(\d+ % missing\)/,
      )
    }
  })

  it("the editor's run store keeps it on the node until the node runs again", () => {
    const runs = new RunStore((flush) => flush())
    const warning: NodeWarning = { code: 'audio/damaged', message: 'half of it is missing' }
    runs.onEvent({ type: 'state', node: 'src', state: 'running' })
    runs.onEvent({ type: 'warning', node: 'src', message: warning.message, warning })
    runs.onEvent({ type: 'warning', message: 'Cache read failed' }) // not about a node's result
    runs.onEvent({ type: 'state', node: 'src', state: 'done', ms: 1 })
    expect(runs.get('src').warnings).toEqual([warning])
    // On the node: a warning badge with the message, its code as data.
    const html = renderToStaticMarkup(
      createElement(NodeStatus, { run: runs.get('src'), names: (text: string) => text }),
    )
    expect(html).toContain('data-testid="node-warning"')
    expect(html).toContain('data-code="audio/damaged"')
    expect(html).toContain('half of it is missing')
    runs.onEvent({ type: 'state', node: 'src', state: 'running' })
    expect(runs.get('src').warnings).toBeUndefined()
  })
})
