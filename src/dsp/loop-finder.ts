/**
 * Finding a loop along the time axis (columns) of a picture or latent, as the sound-pictures
 * essay does for its repeating pieces:
 *
 *   1. period: for n from `minPeriod` up to `maxPeriod` (default ⌊width/2⌋), the Pearson
 *      correlation ρ(n) between columns [0, n) and [n, 2n), over every row of every plane.
 *      Multiples of the true period correlate about as well (better, by the luck of noise), so
 *      the winner is the shortest n at a local peak of ρ within 0.02 of the best ρ.
 *   2. splice: among column pairs a ∈ [0, n), b = a + n + d with |d| ≤ `drift` and b < width,
 *      the pair whose columns match best, by one of two scores:
 *      - 'difference': least mean squared difference over rows and planes (levels and shape
 *        both count: a jump from b back to a is then least audible and visible);
 *      - 'correlation': the essay's "best correlated pair of columns", the highest Pearson
 *        correlation of column a with column b over rows and planes (shape only: a louder or
 *        quieter repeat of the same spectrum still matches).
 *
 * A search on a latent (8 picture columns per latent column) finds its points on 8-column
 * steps; `refineLoop` then moves them to the best pair of picture columns near them.
 *
 * Rows are averaged into at most 64 bands first, which keeps the search fast on tall pictures
 * and makes it follow the spectral envelope rather than single pixels.
 */

export type SpliceScore = 'difference' | 'correlation'

export interface LoopSearchOptions {
  minPeriod: number
  /** 0: half the width. */
  maxPeriod: number
  drift: number
  /** How the pair of columns to jump between is chosen; 'difference' when not given. */
  splice?: SpliceScore
}

export interface LoopPoints {
  period: number
  correlation: number
  /** Loop start a and end b (columns): the loop is [a, b). */
  start: number
  end: number
}

const MAX_BANDS = 64

/** Planes (`rows × width`, row-major) averaged over groups of rows into ≤ 64 bands. */
function bands(planes: readonly Float32Array[], width: number, rows: number): Float64Array[] {
  const count = Math.min(rows, MAX_BANDS)
  return planes.map((plane) => {
    const out = new Float64Array(count * width)
    for (let y = 0; y < rows; y++) {
      const band = Math.floor((y * count) / rows)
      for (let x = 0; x < width; x++) out[band * width + x] += plane[y * width + x]
    }
    return out
  })
}

export function findLoop(
  planes: readonly Float32Array[],
  width: number,
  rows: number,
  options: LoopSearchOptions,
): LoopPoints | undefined {
  const half = Math.floor(width / 2)
  const maxPeriod = options.maxPeriod > 0 ? Math.min(options.maxPeriod, half) : half
  const minPeriod = Math.max(1, options.minPeriod)
  if (minPeriod > maxPeriod) return undefined
  const data = bands(planes, width, rows)
  const count = data[0].length / width
  const rho = new Float64Array(maxPeriod + 2).fill(-Infinity)
  for (let n = minPeriod; n <= maxPeriod; n++) rho[n] = correlation(data, width, count, n)
  let best = -Infinity
  for (let n = minPeriod; n <= maxPeriod; n++) best = Math.max(best, rho[n])
  let period = minPeriod
  for (let n = minPeriod; n <= maxPeriod; n++) {
    const peak = rho[n] >= rho[n - 1] && rho[n] >= rho[n + 1]
    if (rho[n] >= best - 0.02 && (peak || rho[n] === best)) {
      period = n
      break
    }
  }
  const pairs = function* (): Generator<[number, number]> {
    for (let a = 0; a < period; a++)
      for (let d = -options.drift; d <= options.drift; d++) yield [a, a + period + d]
  }
  const splice = bestSplice(data, width, count, pairs(), options.splice ?? 'difference')
  const [start, end] = splice ?? [0, period]
  return { period, correlation: rho[period], start, end }
}

/**
 * Loop points found on a coarser grid (a latent: `step` picture columns per latent column)
 * moved to the best pair of picture columns within `step` of them, by the same score.
 */
export function refineLoop(
  planes: readonly Float32Array[],
  width: number,
  rows: number,
  coarse: { start: number; end: number },
  step: number,
  splice: SpliceScore = 'difference',
): { start: number; end: number } {
  const data = bands(planes, width, rows)
  const count = data[0].length / width
  const radius = Math.max(0, Math.ceil(step))
  // The coarse pair first: where the picture cannot tell (ties), the points stay put.
  const pairs = function* (): Generator<[number, number]> {
    yield [coarse.start, coarse.end]
    for (let a = coarse.start - radius; a <= coarse.start + radius; a++)
      for (let b = coarse.end - radius; b <= coarse.end + radius; b++) yield [a, b]
  }
  const best = bestSplice(data, width, count, pairs(), splice)
  return best ? { start: best[0], end: best[1] } : coarse
}

/**
 * The pair (a, b), 0 ≤ a < b < width, whose columns match best: least squared difference, or
 * highest Pearson correlation, over every band of every plane. Ties go to the first pair.
 */
function bestSplice(
  data: readonly Float64Array[],
  width: number,
  count: number,
  pairs: Iterable<[number, number]>,
  score: SpliceScore,
): [number, number] | undefined {
  let best: [number, number] | undefined
  let bestScore = -Infinity
  for (const [a, b] of pairs) {
    if (a < 0 || b <= a || b >= width) continue
    const s =
      score === 'correlation'
        ? columnCorrelation(data, width, count, a, b)
        : -columnDistance(data, width, count, a, b)
    if (s > bestScore + 1e-12) {
      bestScore = s
      best = [a, b]
    }
  }
  return best
}

function columnDistance(
  data: readonly Float64Array[],
  width: number,
  count: number,
  a: number,
  b: number,
): number {
  let distance = 0
  for (const plane of data) {
    for (let y = 0; y < count; y++) {
      const diff = plane[y * width + a] - plane[y * width + b]
      distance += diff * diff
    }
  }
  return distance
}

/** Pearson correlation of column a with column b over every band of every plane. */
function columnCorrelation(
  data: readonly Float64Array[],
  width: number,
  count: number,
  a: number,
  b: number,
): number {
  let sx = 0
  let sy = 0
  let sxx = 0
  let syy = 0
  let sxy = 0
  for (const plane of data) {
    for (let y = 0; y < count; y++) {
      const u = plane[y * width + a]
      const v = plane[y * width + b]
      sx += u
      sy += v
      sxx += u * u
      syy += v * v
      sxy += u * v
    }
  }
  return pearson(sx, sy, sxx, syy, sxy, count * data.length)
}

/** Pearson's ρ from running sums over m pairs; two flat series are alike (1), one flat is 0. */
function pearson(sx: number, sy: number, sxx: number, syy: number, sxy: number, m: number): number {
  const cov = sxy - (sx * sy) / m
  const vx = sxx - (sx * sx) / m
  const vy = syy - (sy * sy) / m
  if (vx > 0 && vy > 0) return cov / Math.sqrt(vx * vy)
  return vx === 0 && vy === 0 ? 1 : 0
}

/** Pearson correlation of columns [0, n) and [n, 2n) over all bands of all planes. */
function correlation(
  data: readonly Float64Array[],
  width: number,
  count: number,
  n: number,
): number {
  let sx = 0
  let sy = 0
  let sxx = 0
  let syy = 0
  let sxy = 0
  for (const plane of data) {
    for (let y = 0; y < count; y++) {
      const row = y * width
      for (let x = 0; x < n; x++) {
        const u = plane[row + x]
        const v = plane[row + n + x]
        sx += u
        sy += v
        sxx += u * u
        syy += v * v
        sxy += u * v
      }
    }
  }
  return pearson(sx, sy, sxx, syy, sxy, n * count * data.length)
}

/** Column order of the looped piece: [0, b), then [a, b) `repeats` times, then [a, width). */
export function loopOrder(width: number, start: number, end: number, repeats: number): Int32Array {
  const loop = end - start
  const out = new Int32Array(end + loop * repeats + (width - start))
  let k = 0
  for (let x = 0; x < end; x++) out[k++] = x
  for (let r = 0; r < repeats; r++) for (let x = start; x < end; x++) out[k++] = x
  for (let x = start; x < width; x++) out[k++] = x
  return out
}

/**
 * The same order for a sound: samples [0, B), then [A, B) `repeats` times, then [A, end), each
 * jump from B back to A crossfaded over `fade` samples (equal-power raised cosine: x[B + i]
 * fades out while x[A + i] fades in), so the seams do not click.
 */
export function loopSignal(
  signal: Float32Array,
  start: number,
  end: number,
  repeats: number,
  fade: number,
): Float32Array {
  const a = Math.max(0, Math.min(start, signal.length))
  const b = Math.max(a, Math.min(end, signal.length))
  const f = Math.max(0, Math.min(fade, b - a))
  const out = new Float32Array(b + (b - a) * repeats + (signal.length - a))
  out.set(signal.subarray(0, b), 0)
  let at = b
  for (let jump = 0; jump <= repeats; jump++) {
    const last = jump === repeats
    const piece = signal.subarray(a, last ? signal.length : b)
    out.set(piece, at)
    for (let i = 0; i < f && i < piece.length; i++) {
      const t = (i + 0.5) / f
      const fadeIn = Math.sin((Math.PI / 2) * t)
      const fadeOut = Math.cos((Math.PI / 2) * t)
      const tail = b + i < signal.length ? signal[b + i] : 0
      out[at + i] = fadeIn * piece[i] + fadeOut * tail
    }
    at += piece.length
  }
  return out
}
