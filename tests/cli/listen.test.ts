import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { render } from '../../src/cli/render'
import { measureLoudness } from '../../src/dsp/loudness'
import { GRAPH_FORMAT, type GraphDocument, type GraphNode } from '../../src/engine/document'
import type { ListenManifest } from '../../src/media/listen-export'
import { decodePng } from '../../src/media/png'
import { readEmbeddedGraph } from '../../src/media/provenance'
import { decodeWav } from '../../src/media/wav'
import { ffmpegLoudness, hasFfmpeg } from '../helpers/ffmpeg-loudness'
import { fixturePath } from '../helpers/fixtures'

const node = (
  id: string,
  type: string,
  params: GraphNode['params'],
  label?: string,
): GraphNode => ({
  id,
  type,
  params,
  position: { x: 0, y: 0 },
  mode: 'normal',
  ...(label ? { label } : {}),
})

/** Three readings of different loudness, length, rate and width, each into an Audio Output. */
const graph: GraphDocument = {
  format: GRAPH_FORMAT,
  version: 2,
  nodes: [
    node('loadSample', 'audio/load', {}),
    node('loadTone', 'audio/load', { file: fixturePath('loudness/sine1k_mono_48000.wav') }),
    node('loadChord', 'audio/load', { file: fixturePath('loudness/chord_mono_22050.wav') }),
    node('outSample', 'audio/output', { name: 'sample', format: 'float32' }, 'The sample'),
    node('outTone', 'audio/output', { name: 'tone', format: 'pcm24' }),
    node('outChord', 'audio/output', { name: 'chord', format: 'pcm16' }),
  ],
  edges: [
    { from: { node: 'loadSample', port: 'audio' }, to: { node: 'outSample', port: 'audio' } },
    { from: { node: 'loadTone', port: 'audio' }, to: { node: 'outTone', port: 'audio' } },
    { from: { node: 'loadChord', port: 'audio' }, to: { node: 'outChord', port: 'audio' } },
  ],
}

describe('npm run render -- GRAPH --listen DIR', () => {
  it('writes matched WAVs, listen.json and the contact sheet for every Audio Output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synesthete-listen-'))
    const file = join(dir, 'graph.json')
    writeFileSync(file, JSON.stringify(graph))
    const listen = join(dir, 'room')
    const out: string[] = []
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) }
    expect(
      await render([file, '--listen', listen, '--out', join(dir, 'out'), '--no-cache'], io),
    ).toBe(0)

    const manifest = JSON.parse(readFileSync(join(listen, 'listen.json'), 'utf8')) as ListenManifest
    expect(manifest.lanes.map((l) => [l.node, l.label, l.file])).toEqual([
      ['outSample', 'The sample', 'The sample.wav'],
      ['outTone', 'tone', 'tone.wav'],
      ['outChord', 'chord', 'chord.wav'],
    ])
    const [sample, toneLane, chord] = manifest.lanes
    expect(sample).toMatchObject({ sampleRate: 44100, channels: 2, playedAs: 'stereo' })
    expect(toneLane).toMatchObject({
      sampleRate: 48000,
      channels: 1,
      playedAs: 'mono',
      durationSec: 2,
    })
    expect(chord).toMatchObject({ sampleRate: 22050, channels: 1, durationSec: 3 })
    expect(sample.durationSec).toBeCloseTo(6, 1)
    // The tone is the quietest lane (−23.0 LUFS, ffmpeg says −23.01): the target.
    expect(toneLane.integratedLufs).toBeCloseTo(-23.0, 1)
    expect(manifest.targetLufs).toBeCloseTo(toneLane.integratedLufs!, 6)

    for (const lane of manifest.lanes) {
      expect(lane.gainDb).toBeCloseTo(manifest.targetLufs! - lane.integratedLufs!, 6)
      const bytes = readFileSync(join(listen, lane.file))
      const wav = decodeWav(bytes)
      expect(wav.sampleRate).toBe(lane.sampleRate)
      expect(wav.channels[0].length / wav.sampleRate).toBeCloseTo(lane.durationSec, 6)
      const measured = measureLoudness(wav.channels, wav.sampleRate)
      expect(Math.abs(measured.integratedLufs! - manifest.targetLufs!)).toBeLessThanOrEqual(0.1)
      expect(measured.truePeakDbtp!).toBeLessThanOrEqual(-1)
      if (hasFfmpeg()) {
        // ffmpeg's meter agrees that the written files are matched.
        const theirs = ffmpegLoudness(join(listen, lane.file))
        expect(Math.abs(theirs.integratedLufs! - manifest.targetLufs!)).toBeLessThanOrEqual(0.1)
        expect(theirs.truePeakDbtp!).toBeLessThanOrEqual(-1 + 0.3)
      }
      const embedded = readEmbeddedGraph(bytes)
      expect(embedded.kind).toBe('found')
      if (embedded.kind === 'found') expect(embedded.provenance?.output).toBe(lane.node)
    }

    const png = readFileSync(join(listen, 'listen.png'))
    const sheet = decodePng(png)
    expect(sheet.width).toBe(960)
    expect(sheet.height).toBe(10 + 22 + 3 * (22 + 120 + 10) + 7 + 6 + 10)
    expect(readEmbeddedGraph(png).kind).toBe('found')
    expect(out.join('\n')).toMatch(/wrote .*listen\.json/)
  })
  it('writes a silent lane unchanged, says "null" for its loudness, and leaves muted outputs out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synesthete-listen-'))
    const file = join(dir, 'graph.json')
    const silentGraph: GraphDocument = {
      ...graph,
      nodes: [
        node('loadTone', 'audio/load', { file: fixturePath('loudness/sine1k_mono_48000.wav') }),
        node('loadSilence', 'audio/load', {
          file: fixturePath('loudness/silence_stereo_44100.wav'),
        }),
        node('outTone', 'audio/output', { name: 'tone' }),
        node('outSilence', 'audio/output', { name: 'silence' }),
        { ...node('outMuted', 'audio/output', { name: 'muted' }), mode: 'mute' },
      ],
      edges: [
        { from: { node: 'loadTone', port: 'audio' }, to: { node: 'outTone', port: 'audio' } },
        { from: { node: 'loadSilence', port: 'audio' }, to: { node: 'outSilence', port: 'audio' } },
        { from: { node: 'loadTone', port: 'audio' }, to: { node: 'outMuted', port: 'audio' } },
      ],
    }
    writeFileSync(file, JSON.stringify(silentGraph))
    const listen = join(dir, 'room')
    const out: string[] = []
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) }
    expect(
      await render([file, '--listen', listen, '--no-cache', '--out', join(dir, 'out')], io),
    ).toBe(0)
    const manifest = JSON.parse(readFileSync(join(listen, 'listen.json'), 'utf8')) as ListenManifest
    expect(manifest.lanes.map((l) => l.node)).toEqual(['outTone', 'outSilence'])
    expect(manifest.lanes[1]).toMatchObject({
      integratedLufs: null,
      truePeakDbtp: null,
      gainDb: 0,
      matchedLufs: null,
    })
    expect(manifest.targetLufs).toBeCloseTo(manifest.lanes[0].integratedLufs!, 6)
    const silence = decodeWav(readFileSync(join(listen, 'silence.wav')))
    expect(silence.channels.every((c) => c.every((v) => v === 0))).toBe(true)
    expect(out.join('\n')).toMatch(/listen: outMuted left out \(muted\)/)
  })
})
