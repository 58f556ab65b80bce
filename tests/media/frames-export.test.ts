import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { GRAPH_FORMAT, type GraphDocument } from '../../src/engine/document'
import type { FramesValue } from '../../src/engine/values'
import { framesZip, muxCommand, videoExportFiles } from '../../src/media/frames-export'
import { exportedBytes } from '../../src/media/output-files'
import { decodePng } from '../../src/media/png'
import {
  PROVENANCE_FORMAT,
  readEmbeddedGraph,
  type ProvenanceRecord,
} from '../../src/media/provenance'
import { decodeWav } from '../../src/media/wav'
import { valueToArray } from '../../src/media/value-array'

const hasUnzip = (() => {
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

/** Frame i is a flat colour whose red is i / 10, so each PNG says which frame it is. */
function colourFrames(count: number, audio = true): FramesValue {
  const [w, h] = [6, 4]
  const flat = (v: number) => new Float32Array(w * h).fill(v)
  return {
    kind: 'frames',
    fps: 12,
    width: w,
    height: h,
    frames: Array.from({ length: count }, (_, i) => [flat(i / 10), flat(0.5), flat(1)]),
    ...(audio
      ? {
          audio: {
            kind: 'audio' as const,
            sampleRate: 8000,
            channels: [Float32Array.from({ length: 4000 }, (_, i) => 0.5 * Math.sin(i / 5))],
          },
        }
      : {}),
  }
}

describe('frame sequence export', () => {
  it('zips the frames as numbered PNGs that decode back to the frames', () => {
    const value = colourFrames(5)
    const zip = framesZip(value, 'spectral')
    expect(zip.fileName).toBe('spectral.zip')
    const files = unzipSync(zip.bytes)
    const names = Object.keys(files).sort()
    expect(names).toEqual([1, 2, 3, 4, 5].map((n) => `spectral/00000${n}.png`))
    names.forEach((name, i) => {
      const image = decodePng(files[name])
      expect([image.width, image.height, image.channels.length]).toEqual([6, 4, 3])
      expect(image.channels[0][0]).toBeCloseTo(Math.round((i / 10) * 255) / 255, 6)
      expect(image.channels[2][23]).toBe(1)
    })
  })

  it('gives the same bytes for the same frames (no clock inside)', () => {
    expect(framesZip(colourFrames(3), 'a').bytes).toEqual(framesZip(colourFrames(3), 'a').bytes)
  })

  it.skipIf(!hasUnzip)('writes a zip that the unzip tool accepts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'frames-zip-'))
    try {
      const zip = framesZip(colourFrames(3), 'clip')
      writeFileSync(join(dir, zip.fileName), zip.bytes)
      execFileSync('unzip', ['-q', '-t', zip.fileName], { cwd: dir })
      execFileSync('unzip', ['-q', zip.fileName], { cwd: dir })
      expect(readdirSync(join(dir, 'clip')).sort()).toEqual([
        '000001.png',
        '000002.png',
        '000003.png',
      ])
      const second = decodePng(new Uint8Array(readFileSync(join(dir, 'clip', '000002.png'))))
      expect(second.channels[0][5]).toBeCloseTo(26 / 255, 6)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('writes the zip, the soundtrack as WAV and the ffmpeg command for a video output', async () => {
    const value = colourFrames(4)
    const files = videoExportFiles(value, { name: 'my clip' })
    expect(files.map((f) => f.fileName)).toEqual(['my clip.zip', 'my clip.wav'])
    const wav = decodeWav(await exportedBytes(files[1]))
    expect(wav.sampleRate).toBe(8000)
    expect(wav.channels[0]).toHaveLength(4000)
    expect(muxCommand(value, 'clip')).toBe(
      'unzip -o clip.zip && ffmpeg -framerate 12 -i clip/%06d.png -i clip.wav -c:a libopus -shortest -c:v libvpx-vp9 -pix_fmt yuv420p clip.webm',
    )
    expect(muxCommand(colourFrames(1, false), 'clip')).not.toContain('wav')
  })

  it('puts the graph and its provenance into every frame PNG and the soundtrack WAV', async () => {
    const graph: GraphDocument = {
      format: GRAPH_FORMAT,
      version: 2,
      name: 'Clip ✓',
      nodes: [
        {
          id: 'video',
          type: 'frames/output',
          params: {},
          position: { x: 0, y: 0 },
          mode: 'normal',
        },
      ],
      edges: [],
    }
    const record: ProvenanceRecord = {
      format: PROVENANCE_FORMAT,
      version: 1,
      app: 'Synesthete',
      createdAt: '2000-01-01T00:00:00.000Z',
      output: 'video',
      sources: [],
      models: [],
      seeds: [{ node: 'draw', param: 'seed', seed: 11 }],
    }
    const provenance = { graph, provenance: () => Promise.resolve(record) }
    const [zip, wav] = videoExportFiles(colourFrames(3), { name: 'clip' }, provenance)
    const frames = Object.values(unzipSync(await exportedBytes(zip)))
    expect(frames).toHaveLength(3)
    for (const file of [...frames, await exportedBytes(wav)]) {
      const found = readEmbeddedGraph(file)
      expect(found.kind).toBe('found')
      if (found.kind !== 'found') continue
      expect(JSON.parse(found.graphText)).toEqual(graph)
      expect(found.provenance).toEqual(record)
    }
    // Given no graph, the frames carry none.
    const [bare] = videoExportFiles(colourFrames(1), { name: 'clip' })
    expect(readEmbeddedGraph(Object.values(unzipSync(await exportedBytes(bare)))[0]).kind).toBe(
      'none',
    )
  })

  it('writes spectra as CSV, and refuses empty sequences with words', async () => {
    const spectra: FramesValue = {
      ...colourFrames(2, false),
      height: 1,
      width: 3,
      binHz: [1, 2, 3],
    }
    spectra.frames = [[Float32Array.of(0, 0.5, 1)], [Float32Array.of(1, 1, 1)]]
    spectra.analysis = {
      sampleRate: 8000,
      chunkSamples: 8000 / 12,
      windowSamples: 1024,
      binning: 'post',
    }
    const [csv, json, ...rest] = videoExportFiles(spectra, { name: 's' })
    expect(rest).toEqual([])
    expect(csv.fileName).toBe('s.csv')
    expect(new TextDecoder().decode(await exportedBytes(csv))).toBe(
      'time_s,1,2,3\n0,0,0.5,1\n0.083333,1,1,1\n',
    )
    // Beside it, how they were measured.
    expect(json.fileName).toBe('s.json')
    expect(JSON.parse(new TextDecoder().decode(await exportedBytes(json)))).toEqual({
      fps: 12,
      frames: 2,
      sampleRate: 8000,
      chunkSamples: 8000 / 12,
      windowSamples: 1024,
      bins: 3,
      binning: 'post',
      binHz: [1, 2, 3],
    })
    expect(() => framesZip({ ...colourFrames(1), frames: [] }, 'x')).toThrow(/has no frames/)
  })

  it('dumps frames as one [N, C, H, W] array', () => {
    const array = valueToArray(colourFrames(5))
    expect(array?.shape).toEqual([5, 3, 4, 6])
    expect(array?.data[2 * 3 * 24]).toBeCloseTo(0.2, 6) // frame 2, red
  })
})
