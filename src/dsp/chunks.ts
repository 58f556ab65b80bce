/**
 * Overlapping chunks along one axis (columns of a picture, frames of a spectrogram), for work
 * done piece by piece and joined: chunk k starts at k·(size − overlap); the last chunk is moved
 * back to end exactly at `total` (so it may overlap its neighbour more). With `align`, starts
 * are multiples of it (latent pixels are 8 picture pixels).
 */

export interface Chunk {
  start: number
  end: number
}

export function planChunks(total: number, size: number, overlap: number, align = 1): Chunk[] {
  if (!(Number.isInteger(total) && total >= 1)) throw new RangeError(`Bad length ${total}`)
  if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`Bad chunk size ${size}`)
  if (!(overlap >= 0 && overlap < size)) {
    throw new RangeError(
      `The overlap ${overlap} must be at least 0 and less than the chunk ${size}`,
    )
  }
  if (total <= size) return [{ start: 0, end: total }]
  const step = Math.max(align, Math.floor((size - overlap) / align) * align)
  const chunks: Chunk[] = []
  for (let start = 0; ; start += step) {
    if (start + size >= total) {
      const last = Math.max(0, Math.floor((total - size) / align) * align)
      chunks.push({ start: last, end: total })
      break
    }
    chunks.push({ start, end: start + size })
  }
  return chunks
}

/**
 * Joins chunk planes along the width with linear crossfades where they overlap:
 * out[x] = Σ_k w_k(x) · chunk_k[x − start_k] / Σ_k w_k(x), with w_k rising linearly over the
 * columns it shares with chunk k − 1 and falling over those it shares with chunk k + 1. Planes
 * are row-major `rows × (end − start)`; several planes per chunk (channels) are joined alike.
 */
export function joinColumns(
  chunks: readonly Chunk[],
  planes: readonly (readonly Float32Array[])[],
  rows: number,
): Float32Array[] {
  const total = chunks[chunks.length - 1].end
  const count = planes[0].length
  const out = Array.from({ length: count }, () => new Float64Array(rows * total))
  const weight = new Float64Array(total)
  chunks.forEach((chunk, k) => {
    const width = chunk.end - chunk.start
    const fadeIn = k > 0 ? Math.max(0, chunks[k - 1].end - chunk.start) : 0
    const fadeOut = k + 1 < chunks.length ? Math.max(0, chunk.end - chunks[k + 1].start) : 0
    for (let x = 0; x < width; x++) {
      let w = 1
      if (x < fadeIn) w = Math.min(w, (x + 0.5) / fadeIn)
      if (width - x <= fadeOut) w = Math.min(w, (width - x - 0.5) / fadeOut)
      weight[chunk.start + x] += w
      for (let c = 0; c < count; c++) {
        const src = planes[k][c]
        const dst = out[c]
        for (let y = 0; y < rows; y++) dst[y * total + chunk.start + x] += w * src[y * width + x]
      }
    }
  })
  return out.map((plane) =>
    Float32Array.from(plane, (v, i) => {
      const w = weight[i % total]
      return w > 0 ? v / w : 0
    }),
  )
}
