import { defineNode } from '../src/engine/define-node'
import { UserError } from '../src/engine/errors'
import { choice, int } from '../src/engine/params'
import type { ImageValue, LatentValue } from '../src/engine/values'
import { imageProblem } from '../src/dsp/image-ops'
import { findLoop, loopOrder, refineLoop } from '../src/dsp/loop-finder'

export const loopFinder = defineNode({
  type: 'image/loop-finder',
  version: 2,
  title: 'Loop Finder',
  category: 'Image',
  description:
    'Finds where a picture repeats along its width: the period whose two first stretches correlate best, then the pair of columns to jump between. Gives the loop points and the picture played 0→b, a→b, a→end; Loop Audio does the same to the sound. Searches the latent instead when one is connected, then places the points on the picture’s own columns.',
  inputs: {
    image: 'image',
    latent: { kind: 'latent', optional: true, label: 'Latent (optional: search here)' },
  },
  outputs: { image: 'image', start: 'number', end: 'number', period: 'number' },
  params: {
    minPeriod: int(150, {
      min: 2,
      max: 100000,
      unit: 'columns',
      label: 'Shortest loop',
      description:
        'Loop lengths are tried from this many picture columns up (150 columns are 1.5 s of a Riffusion picture).',
    }),
    maxPeriod: int(0, {
      min: 0,
      max: 100000,
      unit: 'columns',
      label: 'Longest loop',
      description: '0: up to half the width (two whole loops must fit).',
    }),
    drift: int(8, {
      min: 0,
      max: 1000,
      unit: 'columns',
      label: 'Drift',
      description:
        'How far the jump may stray from one period when choosing the columns that match best.',
    }),
    splice: choice('difference', ['difference', 'correlation'] as const, {
      label: 'Match columns by',
      description:
        'Difference: the pair of columns closest in level and shape (the quietest jump). Correlation: the best correlated pair, as the sound-pictures essay chooses (shape only: a louder repeat still matches).',
    }),
    nudgeBoth: int(0, {
      min: -10000,
      max: 10000,
      unit: 'columns',
      label: 'Nudge both',
      description:
        'Move the loop start and end together by this many columns after the search (the essay’s last step): the loop keeps its length.',
    }),
    nudgeStart: int(0, {
      min: -10000,
      max: 10000,
      unit: 'columns',
      label: 'Nudge start',
      description: 'Move the loop start by hand after the search.',
    }),
    nudgeEnd: int(0, {
      min: -10000,
      max: 10000,
      unit: 'columns',
      label: 'Nudge end',
      description: 'Move the loop end by hand after the search.',
    }),
    repeats: int(1, {
      min: 0,
      max: 64,
      label: 'Extra loops',
      description: 'Times the loop is played again between 0→b and a→end (1: 0→b, a→b, a→end).',
    }),
  },
  runtime: 'cpu',
  cancellation: 'none',
  run: ({ image, latent }, params, ctx) => {
    const problem = imageProblem(image.width, image.height, image.channels)
    if (problem)
      throw new UserError(`Loop Finder: the image input ${problem}.`, 'Check the node feeding it.')
    const { width } = image
    const search = latent
      ? latentPlanes(latent)
      : { planes: image.channels, width, rows: image.height }
    const scale = width / search.width
    const half = Math.floor(search.width / 2)
    if (half < 1)
      throw new UserError(
        `Loop Finder: the picture is ${width} columns wide; a loop needs at least two columns of each stretch.`,
        'Use a wider picture.',
      )
    let minPeriod = Math.max(1, Math.round(params.minPeriod / scale))
    if (minPeriod > half) {
      ctx.progress(
        0,
        `the picture is narrower than two loops of ${params.minPeriod}: trying ${Math.round(half * scale)}`,
      )
      minPeriod = half
    }
    const maxPeriod = Math.round(params.maxPeriod / scale)
    const found = findLoop(search.planes, search.width, search.rows, {
      minPeriod,
      maxPeriod,
      drift: Math.round(params.drift / scale),
      splice: params.splice,
    })
    if (!found)
      throw new UserError(
        `Loop Finder: no loop length lies between the shortest (${params.minPeriod}) and the longest (${params.maxPeriod}) columns.`,
        'Make the longest loop 0 (half the width) or longer than the shortest.',
      )
    // A latent's points fall on every `scale`-th picture column: refine them in the picture.
    const coarse = { start: Math.round(found.start * scale), end: Math.round(found.end * scale) }
    const inPicture =
      scale > 1
        ? refineLoop(image.channels, width, image.height, coarse, scale, params.splice)
        : coarse
    const start = clamp(inPicture.start + params.nudgeBoth + params.nudgeStart, 0, width - 1)
    const end = clamp(inPicture.end + params.nudgeBoth + params.nudgeEnd, start + 1, width)
    const order = loopOrder(width, start, end, params.repeats)
    const channels = image.channels.map((plane) => {
      const out = new Float32Array(order.length * image.height)
      for (let y = 0; y < image.height; y++) {
        const row = y * width
        const to = y * order.length
        for (let x = 0; x < order.length; x++) out[to + x] = plane[row + order[x]]
      }
      return out
    })
    // Columns reordered in time, rows untouched: the picture still reads at the source's rate.
    const looped: ImageValue = {
      kind: 'image',
      width: order.length,
      height: image.height,
      channels,
      ...(image.origin && { origin: image.origin }),
    }
    return {
      image: looped,
      start: { kind: 'number', value: start },
      end: { kind: 'number', value: end },
      period: { kind: 'number', value: Math.round(found.period * scale) },
    }
  },
})

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))

/** A latent [.., C, h, w] as C planes of h × w. */
function latentPlanes(latent: LatentValue): {
  planes: Float32Array[]
  width: number
  rows: number
} {
  const { shape, data } = latent
  if (shape.length < 2 || data.length === 0)
    throw new UserError(
      'Loop Finder: the latent has no width and height.',
      'Connect a latent from Stable Diffusion.',
    )
  const width = shape[shape.length - 1]
  const rows = shape[shape.length - 2]
  const count = data.length / (width * rows)
  const planes = Array.from({ length: count }, (_, c) =>
    data.subarray(c * width * rows, (c + 1) * width * rows),
  )
  return { planes, width, rows }
}
