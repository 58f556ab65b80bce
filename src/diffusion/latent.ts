/** Small latent-space operations of the pipeline, each with its formula and source. */

/**
 * Picture pixels per latent pixel along each side: Stable Diffusion's VAEs downsample by
 * 2^(len(block_out_channels) − 1) = 8 (diffusers' vae_scale_factor), the tiny model's too.
 */
export const PIXELS_PER_LATENT = 8

/**
 * Rolls every channel plane by (dx, dy) latent pixels with wrap-around, as torch.roll on the
 * last two axes: the value at (x, y) moves to ((x + dx) mod w, (y + dy) mod h).
 */
export function rollLatent(
  data: Float32Array,
  dims: readonly number[],
  dx: number,
  dy: number,
): Float32Array {
  const h = dims[dims.length - 2]
  const w = dims[dims.length - 1]
  const planes = data.length / (h * w)
  const sx = ((Math.round(dx) % w) + w) % w
  const sy = ((Math.round(dy) % h) + h) % h
  if (sx === 0 && sy === 0) return data.slice()
  const out = new Float32Array(data.length)
  for (let p = 0; p < planes; p++) {
    const base = p * h * w
    for (let y = 0; y < h; y++) {
      const from = base + y * w
      const to = base + ((y + sy) % h) * w
      // One row: [0, w − sx) moves right by sx; [w − sx, w) wraps to the start.
      out.set(data.subarray(from, from + w - sx), to + sx)
      out.set(data.subarray(from + w - sx, from + w), to)
    }
  }
  return out
}

/**
 * Classifier-free guidance (Ho & Salimans 2022), as diffusers' pipelines:
 * ε = ε_uncond + g · (ε_cond − ε_uncond), from the batch [uncond, cond].
 */
export function guide(batch: Float32Array, guidance: number): Float32Array {
  const n = batch.length / 2
  const out = new Float32Array(n)
  for (let k = 0; k < n; k++) {
    const uncond = batch[k]
    out[k] = uncond + guidance * (batch[n + k] - uncond)
  }
  return out
}

/**
 * LCM's guidance-scale embedding (LatentConsistencyModelPipeline.get_guidance_scale_embedding,
 * after VDM's sinusoidal timestep embedding): w' = 1000·w, half = ⌊dim/2⌋,
 * f_i = exp(−ln(10000)·i/(half − 1)), embedding = [sin(w'·f), cos(w'·f)], zero-padded to an odd
 * dim. diffusers passes w = guidance_scale − 1.
 *
 * Computed in float64. torch's float32 version differs by up to ~1000·w·2⁻²⁴ (4e-4 at guidance 8:
 * the argument's float32 rounding), as much as two float32 implementations differ from each other.
 */
export function guidanceEmbedding(w: number, dim: number): Float32Array {
  const half = Math.floor(dim / 2)
  const out = new Float32Array(dim)
  const scaled = w * 1000
  for (let i = 0; i < half; i++) {
    const freq = Math.exp((-Math.log(10000) * i) / (half - 1))
    out[i] = Math.sin(scaled * freq)
    out[half + i] = Math.cos(scaled * freq)
  }
  return out
}

/**
 * A sample of the VAE's latent distribution (diffusers DiagonalGaussianDistribution.sample):
 * logvar clamped to [−30, 20], z = mean + exp(½·logvar) · ε.
 */
export function sampleLatent(mean: Float32Array, logvar: Float32Array, noise: Float32Array) {
  const out = new Float32Array(mean.length)
  for (let k = 0; k < mean.length; k++) {
    const lv = Math.min(20, Math.max(-30, logvar[k]))
    out[k] = mean[k] + Math.exp(0.5 * lv) * noise[k]
  }
  return out
}

export function scale(data: Float32Array, factor: number): Float32Array {
  return data.map((v) => v * factor)
}

/** What is wrong with a latent value's shape, for the latent nodes' errors; undefined if fine. */
export function latentProblem(shape: readonly number[], length: number): string | undefined {
  if (shape.length !== 4 || shape[0] !== 1 || !shape.every((n) => Number.isInteger(n) && n >= 1))
    return `has the shape [${shape.join(', ')}], not [1, channels, height, width]`
  if (shape.reduce((a, b) => a * b, 1) !== length)
    return `holds ${length} numbers where its shape [${shape.join(', ')}] says otherwise`
  return undefined
}
