import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { registry } from '../nodes'
import { nodeFileResolver } from '../src/cli/files'
import { resizeF32 } from '../src/dsp/resize'
import { topologicalOrder, type GraphDocument } from '../src/engine/document'
import { execute, type ExecutionResult } from '../src/engine/executor'
import { parseGraphText } from '../src/engine/validate'
import type { AudioValue, FramesValue, ImageValue } from '../src/engine/values'
import { encodePng } from '../src/media/png'

/**
 * The preset browser's thumbnails: each preset run headless on its bundled sample, drawn as its
 * first picture over the waveforms of what it outputs, written as presets/thumbnails/NAME.png.
 * `npx tsx scripts/preset-thumbnails.ts [NAME…]` (all presets when none is named).
 */

export const THUMB_WIDTH = 240
export const THUMB_HEIGHT = 135

const presetsDir = fileURLToPath(new URL('../presets/', import.meta.url))
const thumbsDir = `${presetsDir}thumbnails/`

/** Rows of the picture when sounds are drawn under it (else it fills the thumbnail). */
export const PICTURE_HEIGHT = 96
const GAP = 3
/** The editor's panel background and its colour for sound (src/editor/kinds.ts). */
const BACKGROUND = [0x1b, 0x1e, 0x25].map((v) => v / 255)
export const AUDIO = [0x4f, 0xc3, 0xa1].map((v) => v / 255)

/** The row through the middle of the sound tiles: every waveform column draws it, gaps do not. */
export const SOUND_MID_ROW = Math.round(
  PICTURE_HEIGHT + GAP + (THUMB_HEIGHT - PICTURE_HEIGHT - GAP - 1) / 2,
)

export interface PresetResults {
  /**
   * What an output node's video shows halfway, or else the first picture the graph computes, in
   * dependency order (usually the sound's picture).
   */
  picture?: ImageValue
  /** The sound each output node exports (Audio Outputs): the readings the preset compares. */
  sounds: AudioValue[]
}

export async function runPreset(graph: GraphDocument): Promise<PresetResults> {
  return presetResults(
    graph,
    await execute(graph, { registry, files: nodeFileResolver(presetsDir) }),
  )
}

/** What a thumbnail shows of a run of the preset (the presets test checks the committed ones). */
export function presetResults(graph: GraphDocument, result: ExecutionResult): PresetResults {
  const values = topologicalOrder(graph).order.map((id) => {
    const type = result.results.get(id)?.type
    return {
      // Output nodes are those whose definition exports files (Audio Output, Video Output…).
      exported: type !== undefined && registry.get(type)?.export !== undefined,
      outputs: Object.values(result.results.get(id)?.outputs ?? {}),
    }
  })
  const outputs = values.flatMap((v) => v.outputs)
  const exported = values.filter((v) => v.exported).flatMap((v) => v.outputs)
  const video = exported.find((o): o is FramesValue => o.kind === 'frames' && o.height > 1)
  const picture = (video && middleFrame(video)) ?? outputs.find((v) => v.kind === 'image')
  const sounds = exported.filter((o): o is AudioValue => o.kind === 'audio')
  if (video?.audio) sounds.push(video.audio)
  return { picture, sounds }
}

/** A video's middle frame as a picture: what it shows once it is under way. */
function middleFrame(video: FramesValue): ImageValue | undefined {
  const channels = video.frames[Math.floor(video.frames.length / 2)]
  return channels && { kind: 'image', width: video.width, height: video.height, channels }
}

/**
 * 240×135: the picture on top, stretched to the width, and under it one waveform tile per
 * output sound, so presets that share a picture but read it differently still look different.
 */
export function thumbnailPng({ picture, sounds }: PresetResults): Uint8Array {
  const [w, h] = [THUMB_WIDTH, THUMB_HEIGHT]
  const rgb = BACKGROUND.map((v) => new Float32Array(w * h).fill(v))
  const pictureRows = sounds.length > 0 ? PICTURE_HEIGHT : h
  if (picture) {
    const colour = picture.channels.slice(0, 3)
    for (let c = 0; c < 3; c++) {
      const plane = colour[Math.min(c, colour.length - 1)]
      const small = resizeF32(plane, picture.width, picture.height, w, pictureRows, 'lanczos')
      rgb[c].set(small.map((v) => Math.min(1, Math.max(0, v))))
    }
  }
  const top = pictureRows + GAP
  const tileW = Math.floor((w - GAP * (sounds.length - 1)) / Math.max(1, sounds.length))
  sounds.forEach((sound, i) => drawWaveform(rgb, w, sound, i * (tileW + GAP), top, tileW, h - top))
  return encodePng({ width: w, height: h, channels: rgb })
}

/** The min–max envelope of the first channel, one column per pixel. */
function drawWaveform(
  rgb: Float32Array[],
  width: number,
  sound: AudioValue,
  x0: number,
  y0: number,
  w: number,
  h: number,
) {
  const samples = sound.channels[0] ?? new Float32Array(0)
  const peak = samples.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1
  const mid = y0 + (h - 1) / 2
  for (let x = 0; x < w; x++) {
    const from = Math.floor((x * samples.length) / w)
    const to = Math.max(from + 1, Math.floor(((x + 1) * samples.length) / w))
    let [lo, hi] = [0, 0]
    for (let i = from; i < to && i < samples.length; i++) {
      lo = Math.min(lo, samples[i])
      hi = Math.max(hi, samples[i])
    }
    const yTop = Math.round(mid - (hi / peak) * (h / 2 - 1))
    const yBottom = Math.round(mid - (lo / peak) * (h / 2 - 1))
    for (let y = yTop; y <= yBottom; y++)
      for (let c = 0; c < 3; c++) rgb[c][y * width + x0 + x] = AUDIO[c]
  }
}

async function main(names: string[]): Promise<void> {
  const files = readdirSync(presetsDir).filter((f) => f.endsWith('.json'))
  const chosen =
    names.length > 0 ? files.filter((f) => names.includes(f.replace(/\.json$/, ''))) : files
  mkdirSync(thumbsDir, { recursive: true })
  for (const file of chosen) {
    const loaded = parseGraphText(readFileSync(`${presetsDir}${file}`, 'utf8'), registry)
    if (!loaded.ok) throw new Error(`${file}: ${loaded.problems[0].message}`)
    const results = await runPreset(loaded.graph)
    if (!results.picture && results.sounds.length === 0) {
      console.log(`${file}: makes no picture or sound; the browser draws its graph instead`)
      continue
    }
    const png = thumbnailPng(results)
    const out = `${thumbsDir}${file.replace(/\.json$/, '.png')}`
    writeFileSync(out, png)
    console.log(`${file} → ${out} (${(png.length / 1024).toFixed(1)} KB)`)
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2))
