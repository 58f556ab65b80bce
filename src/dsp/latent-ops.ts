import { joinColumns } from './chunks'

/**
 * Joining and cutting latents [1, C, h, w] (Join Latents, Cut Latent), as plain planes: the
 * essay's torch.cat and slicing of latents before the VAE decodes them in one piece.
 */

/** A latent [1, C, h, w] as its C planes of h × w (views, no copy). */
function planesOf(data: Float32Array, dims: readonly number[]): Float32Array[] {
  const [batch, channels, h, w] = dims
  const plane = h * w
  return Array.from({ length: batch * channels }, (_, p) =>
    data.subarray(p * plane, (p + 1) * plane),
  )
}

function transpose(plane: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(plane.length)
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < cols; x++) out[x * rows + y] = plane[y * cols + x]
  return out
}

/**
 * Two latents [1, C, h, w] side by side (axis 'width') or one above the other ('height'), the
 * essay's torch.cat on the last or second-to-last axis. With `overlap` N > 0 the last N columns
 * (rows) of `a` and the first N of `b` are crossfaded linearly instead of butted:
 * out = (1 − t)·a + t·b with t = (j + ½)/N at the j-th shared column (src/dsp/chunks.ts).
 * The result is w_a + w_b − N wide.
 */
export function joinLatents(
  a: { data: Float32Array; dims: readonly number[] },
  b: { data: Float32Array; dims: readonly number[] },
  axis: 'width' | 'height',
  overlap: number,
): { data: Float32Array; dims: number[] } {
  const [batch, channels, ha, wa] = a.dims
  const [, , hb, wb] = b.dims
  // Along the height: join the transposed planes along their width, and transpose back.
  const across = axis === 'width'
  const [rows, lenA, lenB] = across ? [ha, wa, wb] : [wa, ha, hb]
  const turn = (planes: Float32Array[], r: number, c: number) =>
    across ? planes : planes.map((p) => transpose(p, r, c))
  const planesA = turn(planesOf(a.data, a.dims), ha, wa)
  const planesB = turn(planesOf(b.data, b.dims), hb, wb)
  const chunks = [
    { start: 0, end: lenA },
    { start: lenA - overlap, end: lenA - overlap + lenB },
  ]
  const total = lenA + lenB - overlap
  const joined = joinColumns(chunks, [planesA, planesB], rows)
  const back = across ? joined : joined.map((p) => transpose(p, rows, total))
  const data = new Float32Array(back.length * rows * total)
  back.forEach((p, k) => data.set(p, k * p.length))
  const dims = across ? [batch, channels, ha, total] : [batch, channels, total, wa]
  return { data, dims }
}

/** Columns from..to − 1 of a latent [1, C, h, w] (the essay's latent[..., a:b]). */
export function cutLatent(
  data: Float32Array,
  dims: readonly number[],
  from: number,
  to: number,
): { data: Float32Array; dims: number[] } {
  const [batch, channels, h, w] = dims
  const width = to - from
  const planes = planesOf(data, dims)
  const out = new Float32Array(planes.length * h * width)
  planes.forEach((plane, p) => {
    for (let y = 0; y < h; y++)
      out.set(plane.subarray(y * w + from, y * w + to), (p * h + y) * width)
  })
  return { data: out, dims: [batch, channels, h, width] }
}
