import { drawSpectrum, noiseField } from '../src/dsp/spectrum-render'
import { defineNode } from '../src/engine/define-node'
import { float, choice, int, seed } from '../src/engine/params'
import type { FramesValue } from '../src/engine/values'
import { checkFrames, frameIndex } from '../src/media/frames'

/** The levels a frame shows: the mean of each column of its first channel. */
function columnLevels(frame: Float32Array[], width: number, height: number): Float32Array {
  const plane = frame[0]
  const levels = new Float32Array(width)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) levels[x] += plane[y * width + x]
  for (let x = 0; x < width; x++) levels[x] /= height
  return levels
}

export const spectrumPicture = defineNode({
  type: 'frames/draw-spectrum',
  version: 2,
  title: 'Spectrum Picture',
  category: 'Audio → Image',
  description:
    'Draws each frame’s spectrum (from Spectrum Frames) as a picture: bars, pie slices (each bin a wedge, its radius the level), the Spectral Diffusion post’s half pie and its p5.js circles, or a polar ring that wobbles, over a seeded blurred noise field.',
  inputs: { spectra: 'frames' },
  outputs: { frames: 'frames' },
  params: {
    style: choice('bars', ['bars', 'pie', 'half-pie', 'circles', 'polar'], {
      label: 'Style',
      optionLabels: {
        bars: 'Bars',
        pie: 'Pie slices',
        'half-pie': 'Half pie (the post)',
        circles: 'Circles (the post’s sketch)',
        polar: 'Polar ring',
      },
      description:
        'Bars from the bottom, low frequencies left; a pie whose wedges grow with their level, clockwise from the top; the post’s half pie (wedges from the top round the right side to the bottom); the post’s p5.js sketch (bin i a ring of dots at radius 2i rippling as sin 8t, sweeping 4 degrees per unit of level from the top both ways, coloured (4i, 2m, 100)); or levels around a wobbling circle.',
    }),
    width: int(512, {
      min: 8,
      max: 4096,
      unit: 'px',
      label: 'Width',
      description: 'Picture width.',
    }),
    height: int(512, {
      min: 8,
      max: 4096,
      unit: 'px',
      label: 'Height',
      description: 'Picture height.',
    }),
    palette: choice('rainbow', ['rainbow', 'heat', 'white'], {
      label: 'Colours',
      optionLabels: { rainbow: 'A hue per bin', heat: 'By level (heat)', white: 'White' },
      description: 'How the shapes are coloured.',
    }),
    opacity: float(0.9, {
      min: 0,
      max: 1,
      step: 0.01,
      label: 'Opacity',
      description: 'How much the shapes cover the background.',
    }),
    gain: float(1, {
      min: 0,
      max: 20,
      step: 0.01,
      label: 'Gain',
      description:
        'Levels are multiplied by this before drawing (quiet sounds draw larger). The post’s raw bins (Spectrum Frames, its bins, linear) run to tens: about 0.03 fits them; 1/90 gives its circles sketch their own m.',
    }),
    wobble: float(0.15, {
      min: 0,
      max: 1,
      step: 0.01,
      label: 'Wobble',
      description: 'Polar ring: how far its base circle swings, a turn every four seconds.',
    }),
    noiseScale: float(48, {
      min: 1,
      max: 1024,
      unit: 'px',
      label: 'Noise size',
      description: 'Size of the background’s blurred noise blobs.',
    }),
    background: float(0.35, {
      min: 0,
      max: 1,
      step: 0.01,
      label: 'Background',
      description: 'Brightness of the noise field (0: black).',
    }),
    seed: seed(0, { label: 'Seed', description: 'The same seed gives the same noise field.' }),
  },
  runtime: 'cpu',
  run: ({ spectra }, params, ctx) => {
    checkFrames(spectra, 'Spectrum Picture')
    const { width, height } = params
    const background = noiseField(width, height, params.noiseScale, params.background, () =>
      ctx.random(),
    )
    const total = spectra.frames.length
    const frames: Float32Array[][] = []
    for (let i = 0; i < total; i++) {
      ctx.signal.throwIfAborted()
      const levels = columnLevels(spectra.frames[i], spectra.width, spectra.height)
      frames.push(
        drawSpectrum(levels, background, width, height, {
          ...params,
          timeSec: frameIndex(spectra, i) / spectra.fps,
        }),
      )
      if ((i + 1) % 8 === 0 || i + 1 === total)
        ctx.progress((i + 1) / total, `frame ${i + 1} of ${total}`)
    }
    const out: FramesValue = {
      kind: 'frames',
      fps: spectra.fps,
      width,
      height,
      frames,
      ...(spectra.audio ? { audio: spectra.audio } : {}),
      ...(spectra.range ? { range: spectra.range } : {}),
    }
    return { frames: out }
  },
})
