import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { muxWebm, opusHead, type MuxChunk } from '../../src/media/webm'
import { child, children, floatOf, packets, textOf, uintOf, type Element } from './ebml-reader'

const hasFfmpeg = (() => {
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' })
    execFileSync('ffprobe', ['-version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

const fake = (count: number, stepUs: number, keyEvery: number): MuxChunk[] =>
  Array.from({ length: count }, (_, i) => ({
    timestampUs: i * stepUs,
    key: i % keyEvery === 0,
    data: Uint8Array.of(i, i, i),
  }))

function topLevel(bytes: Uint8Array): { header: Element; segment: Element } {
  const [header, segment] = children(bytes, 0, bytes.length)
  return { header, segment }
}

describe('WebM muxer', () => {
  it('writes an EBML header and one segment that spans the rest of the file', () => {
    const bytes = muxWebm({
      video: { codec: 'V_VP8', width: 64, height: 48, chunks: fake(30, 100_000, 10) },
      durationSec: 3,
    })
    const { header, segment } = topLevel(bytes)
    expect(header.id).toBe(0x1a45dfa3)
    expect(textOf(bytes, child(bytes, header, 0x4282) as Element)).toBe('webm')
    expect(segment.id).toBe(0x18538067)
    expect(segment.start + segment.size).toBe(bytes.length)
    const info = child(bytes, segment, 0x1549a966) as Element
    expect(floatOf(bytes, child(bytes, info, 0x4489) as Element)).toBe(3000)
    expect(uintOf(bytes, child(bytes, info, 0x2ad7b1) as Element)).toBe(1_000_000)
  })

  it('starts a cluster at each key frame and indexes every cluster in the cues', () => {
    const bytes = muxWebm({
      video: { codec: 'V_VP8', width: 64, height: 48, chunks: fake(30, 100_000, 10) },
      durationSec: 3,
    })
    const { segment } = topLevel(bytes)
    const parts = children(bytes, segment.start, segment.start + segment.size)
    const clusters = parts.filter((p) => p.id === 0x1f43b675)
    expect(clusters).toHaveLength(3)
    const cues = parts.find((p) => p.id === 0x1c53bb6b) as Element
    const points = children(bytes, cues.start, cues.start + cues.size)
    expect(points).toHaveLength(3)
    points.forEach((point, i) => {
      const where = child(bytes, point, 0xb7) as Element
      const position = uintOf(bytes, child(bytes, where, 0xf1) as Element)
      expect(segment.start + position).toBe(clusters[i].at)
      expect(uintOf(bytes, child(bytes, point, 0xb3) as Element)).toBe(i * 1000)
    })
    const got = packets(bytes, segment)
    expect(got.map((p) => p.timeMs)).toEqual(Array.from({ length: 30 }, (_, i) => i * 100))
    expect(got.filter((p) => p.key).map((p) => p.timeMs)).toEqual([0, 1000, 2000])
  })

  it('interleaves audio with video in time order and points the seek head at its parts', () => {
    const bytes = muxWebm({
      video: { codec: 'V_VP8', width: 8, height: 8, chunks: fake(4, 250_000, 4) },
      audio: {
        codec: 'A_OPUS',
        sampleRate: 48000,
        channels: 1,
        codecPrivate: opusHead(1, 312, 48000),
        preSkip: 312,
        chunks: fake(50, 20_000, 1),
      },
      durationSec: 1,
    })
    const { segment } = topLevel(bytes)
    const times = packets(bytes, segment).map((p) => p.timeMs)
    expect(times).toEqual([...times].sort((a, b) => a - b))
    const seekHead = child(bytes, segment, 0x114d9b74) as Element
    for (const seek of children(bytes, seekHead.start, seekHead.start + seekHead.size)) {
      const id = uintOf(bytes, child(bytes, seek, 0x53ab) as Element)
      const position = uintOf(bytes, child(bytes, seek, 0x53ac) as Element)
      expect(children(bytes, segment.start + position, bytes.length)[0].id).toBe(id)
    }
  })

  it('marks the surplus of the last Opus packet as DiscardPadding, so the sound ends where it should', () => {
    // 76 packets of 20 ms less a 312-sample pre-skip decode to 1.5135 s; the sound is 1.5 s.
    const opus = (durationSec: number | undefined, durationUs: number | undefined) =>
      muxWebm({
        video: { codec: 'V_VP8', width: 8, height: 8, chunks: fake(12, 125_000, 8) },
        audio: {
          codec: 'A_OPUS',
          sampleRate: 48000,
          channels: 1,
          codecPrivate: opusHead(1, 312, 48000),
          preSkip: 312,
          chunks: fake(76, 20_000, 1).map((c) => ({ ...c, durationUs })),
          durationSec,
        },
        durationSec: 1.5,
      })
    const groups = (bytes: Uint8Array) => {
      const { segment } = topLevel(bytes)
      return children(bytes, segment.start, segment.start + segment.size)
        .filter((p) => p.id === 0x1f43b675)
        .flatMap((cluster) => children(bytes, cluster.start, cluster.start + cluster.size))
        .filter((p) => p.id === 0xa0)
    }
    const bytes = opus(1.5, 20_000)
    const [group] = groups(bytes)
    expect(groups(bytes)).toHaveLength(1)
    const padding = child(bytes, group, 0x75a2) as Element
    // 13.5 ms = 0xCDFE60 ns: a leading zero byte keeps the signed integer positive.
    expect(padding.size).toBe(4)
    expect(uintOf(bytes, padding)).toBe(13_500_000)
    const all = packets(bytes, topLevel(bytes).segment).filter((p) => p.track === 2)
    expect(all).toHaveLength(76)
    expect(all.at(-1)).toMatchObject({ timeMs: 1500, data: Uint8Array.of(75, 75, 75) })
    // Without the sound's length, or without packet durations, every block stays simple.
    expect(groups(opus(undefined, 20_000))).toEqual([])
    expect(groups(opus(1.5, undefined))).toEqual([])
  })

  it.skipIf(!hasFfmpeg)(
    'remuxes real VP8 and Opus packets into a file ffmpeg decodes in full',
    { timeout: 60_000 },
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'webm-'))
      try {
        const source = join(dir, 'source.webm')
        execFileSync('ffmpeg', [
          ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10:duration=2'],
          ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=2'],
          ...['-c:v', 'libvpx', '-g', '10', '-c:a', 'libopus', source],
        ])
        const input = new Uint8Array(readFileSync(source))
        const { segment } = topLevel(input)
        const tracks = child(input, segment, 0x1654ae6b) as Element
        const entries = children(input, tracks.start, tracks.start + tracks.size)
        const numberOf = (codec: string) => {
          const entry = entries.find(
            (e) => textOf(input, child(input, e, 0x86) as Element) === codec,
          ) as Element
          return { entry, number: uintOf(input, child(input, entry, 0xd7) as Element) }
        }
        const video = numberOf('V_VP8')
        const audio = numberOf('A_OPUS')
        const head = input.slice(...span(child(input, audio.entry, 0x63a2) as Element))
        const all = packets(input, segment)
        const chunks = (track: number) =>
          all
            .filter((p) => p.track === track)
            .map((p) => ({ timestampUs: p.timeMs * 1000, key: p.key, data: p.data }))
        const out = join(dir, 'out.webm')
        writeFileSync(
          out,
          muxWebm({
            video: { codec: 'V_VP8', width: 64, height: 48, chunks: chunks(video.number) },
            audio: {
              codec: 'A_OPUS',
              sampleRate: 48000,
              channels: 1,
              codecPrivate: head,
              preSkip: head[10] | (head[11] << 8),
              chunks: chunks(audio.number),
            },
            durationSec: 2,
          }),
        )
        const probe = JSON.parse(
          execFileSync('ffprobe', [
            ...['-v', 'error', '-count_frames', '-show_streams', '-show_format'],
            ...['-of', 'json', out],
          ]).toString(),
        ) as {
          streams: { codec_name: string; nb_read_frames?: string }[]
          format: { duration: string }
        }
        const videoStream = probe.streams.find((s) => s.codec_name === 'vp8')
        expect(videoStream?.nb_read_frames).toBe('20')
        expect(probe.streams.some((s) => s.codec_name === 'opus')).toBe(true)
        expect(Number(probe.format.duration)).toBeCloseTo(2, 1)
        // A full decode of both streams reports no errors.
        const decode = spawnSync('ffmpeg', ['-v', 'error', '-i', out, '-f', 'null', '-'])
        expect(decode.status).toBe(0)
        expect(decode.stderr.toString()).toBe('')
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  )
})

function span(e: Element): [number, number] {
  return [e.start, e.start + e.size]
}
