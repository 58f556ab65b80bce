/**
 * Mixing planar signals of one sample rate (resampling is not done here):
 *
 *   'sum'      y_ch[n] = Σ_i g_i · x_i,ch[n]
 *   'average'  y_ch[n] = (1/I) Σ_i g_i · x_i,ch[n]         (I = number of sources)
 *   'stereo'   y_i[n]  = g_i · mean_ch x_i,ch[n]          (source i alone on channel i)
 *
 * For 'sum' and 'average' the output has as many channels as the widest source; a mono source
 * is heard on every channel, a wider source's missing channels are silent. Shorter sources are
 * padded with silence to the longest. Sums run in float64. Optional peak normalisation scales
 * every channel by target / max|y| (silence stays silence: no division by zero).
 */

export type MixMode = 'average' | 'sum' | 'stereo'

export interface MixSource {
  channels: readonly Float32Array[]
  /** Linear gain (1 = unchanged). */
  gain: number
}

/** Decibels to a linear amplitude factor: 10^(dB/20). */
export const dbToGain = (db: number): number => 10 ** (db / 20)

/** The largest |sample| over all channels (0 for silence or no samples; NaN if any is NaN). */
export function peakOf(channels: readonly Float32Array[]): number {
  let peak = 0
  for (const ch of channels) {
    const p = channelPeak(ch)
    if (p !== p) return NaN // NaN wins, as Math.max lets it
    if (p > peak) peak = p
  }
  return peak
}

/**
 * max |x[i]| over one channel, NaN if any x[i] is NaN. Four running maxima, each over every
 * fourth sample (with one, each step waits on the one before), by Math.max, which V8 compiles
 * without a branch and which lets NaN through.
 */
function channelPeak(x: Float32Array): number {
  let p0 = 0
  let p1 = 0
  let p2 = 0
  let p3 = 0
  const length = x.length
  const fours = length - (length % 4)
  // The last few first: a loop first reached in optimised code, without feedback, deoptimises it.
  for (let i = fours; i < length; i++) p0 = Math.max(p0, Math.abs(x[i]))
  for (let i = 0; i < fours; i += 4) {
    p0 = Math.max(p0, Math.abs(x[i]))
    p1 = Math.max(p1, Math.abs(x[i + 1]))
    p2 = Math.max(p2, Math.abs(x[i + 2]))
    p3 = Math.max(p3, Math.abs(x[i + 3]))
  }
  return Math.max(p0, p1, p2, p3)
}

/** Scales in place so the peak is `target` (linear); silence is left as it is. Returns the factor. */
export function normalizePeak(channels: Float32Array[], target: number): number {
  const peak = peakOf(channels)
  if (!(peak > 0)) return 1
  const factor = target / peak
  for (const ch of channels) scaleInPlace(ch, factor)
  return factor
}

/** x[i] ·= factor, eight samples a turn (fewer loop checks per sample: 0.6× the time of one). */
function scaleInPlace(x: Float32Array, factor: number): void {
  const length = x.length
  const eights = length - (length % 8)
  // The last few first: a loop first reached in optimised code, without feedback, deoptimises it.
  for (let i = eights; i < length; i++) x[i] *= factor
  for (let i = 0; i < eights; i += 8) {
    x[i] *= factor
    x[i + 1] *= factor
    x[i + 2] *= factor
    x[i + 3] *= factor
    x[i + 4] *= factor
    x[i + 5] *= factor
    x[i + 6] *= factor
    x[i + 7] *= factor
  }
}

/** Mixes the sources; `peak` (linear), when given, peak-normalises the result. */
export function mixSignals(
  sources: readonly MixSource[],
  mode: MixMode,
  peak?: number,
): Float32Array[] {
  if (sources.length === 0) return []
  const length = Math.max(...sources.map((s) => Math.max(0, ...s.channels.map((c) => c.length))))
  // Plain loops over typed arrays (Float32Array.from with a map callback cost ~100× more).
  let mixed: Mixed[]
  if (mode === 'stereo') {
    mixed = sources.map(({ channels, gain }) => {
      const scale = channels.length > 0 ? gain / channels.length : 0
      // Σ_ch x_ch in float64 then scaled: mixChannel's sum with unit gains (no 8-byte buffer).
      if (channels.length > 0)
        return mixChannel(
          channels.map((ch) => ({ ch, gain: 1 })),
          length,
          scale,
        )
      return { out: new Float32Array(length), peak: 0 }
    })
  } else {
    const width = Math.max(...sources.map((s) => s.channels.length))
    const scale = mode === 'average' ? 1 / sources.length : 1
    mixed = Array.from({ length: width }, (_unused, c) => {
      const inputs = sources.flatMap(({ channels, gain }) => {
        const ch = channels.length === 1 ? channels[0] : channels[c]
        return ch ? [{ ch, gain }] : []
      })
      return mixChannel(inputs, length, scale)
    })
  }
  const out = mixed.map((m) => m.out)
  if (peak !== undefined) {
    // normalizePeak's rule, with the peaks found while mixing where they were (a pass less).
    let found = 0
    for (const m of mixed) {
      const p = m.peak ?? peakOf([m.out])
      found = p !== p || found !== found ? NaN : Math.max(found, p)
    }
    if (found > 0) for (const ch of out) scaleInPlace(ch, peak / found)
  }
  return out
}

/** A mixed channel and its peak max |y| (NaN if any y is NaN), where it was found. */
interface Mixed {
  out: Float32Array
  peak: number | undefined
}

/**
 * scale · Σ_i g_i·x_i[n] over one channel: summed in float64 registers in the sources' order
 * (what a Float64Array accumulator gives, without one) when every source spans the length.
 * One or two such sources (every mix the default graph makes) go through mixPair, which finds
 * the peak of the float32 values stored in the same pass.
 */
function mixChannel(
  inputs: { ch: Float32Array; gain: number }[],
  length: number,
  scale: number,
): Mixed {
  const out = new Float32Array(length)
  const full = inputs.every(({ ch }) => ch.length === length)
  // One source: itself again at gain 0 adds exact zeros (x finite; the node refuses others).
  const [gx, gy] = [inputs[0]?.gain ?? 0, inputs[1]?.gain ?? 0]
  // The scale goes into the gains where that changes no bit: (gx·x + gy·y)·s and
  // (gx·s)·x + (gy·s)·y are equal when s is a power of two (every mix the default graph and
  // 'average' of two make), or gx is one with a single source (stereo mode's mono sources),
  // within exponent ranges that rule out overflow and subnormals. The loop is then a multiply a
  // sample shorter. Other scales take the float64 accumulator (stereo mode's wide sources at a
  // gain that is not a power of two).
  const folds = inputs.length === 1 ? isPowerOfTwo(scale) || isPowerOfTwo(gx) : isPowerOfTwo(scale)
  if (!full || inputs.length > 2 || !folds || !inRange(gx) || !inRange(gy) || !inRange(scale)) {
    const acc = new Float64Array(length)
    for (const { ch, gain } of inputs) for (let n = 0; n < ch.length; n++) acc[n] += gain * ch[n]
    for (let n = 0; n < length; n++) out[n] = acc[n] * scale
    return { out, peak: undefined }
  }
  const x = inputs[0].ch
  const y = inputs.length === 2 ? inputs[1].ch : x
  return { out, peak: mixPair(x, y, gx * scale, gy * scale, out) }
}

const isPowerOfTwo = (v: number): boolean => v > 0 && 2 ** Math.round(Math.log2(v)) === v
/** Zero, or a magnitude whose products with float32 samples stay normal and finite in float64. */
const inRange = (v: number): boolean =>
  v === 0 || (Math.abs(v) > 2 ** -400 && Math.abs(v) < 2 ** 400)

/**
 * out[n] = gx·x[n] + gy·y[n] in float64, stored as float32; returns the peak of the stored
 * values (NaN if any is NaN). Four running maxima by Math.max, which V8 compiles without a
 * branch and which lets NaN through (a comparison per sample and a NaN test cost a third more).
 */
function mixPair(
  x: Float32Array,
  y: Float32Array,
  gx: number,
  gy: number,
  out: Float32Array,
): number {
  const length = out.length
  let p0 = 0
  let p1 = 0
  let p2 = 0
  let p3 = 0
  const eights = length - (length % 8)
  // The last few first: a loop first reached in optimised code, without feedback, deoptimises it.
  for (let n = eights; n < length; n++)
    p0 = Math.max(p0, Math.abs((out[n] = gx * x[n] + gy * y[n])))
  // Eight samples a turn into four maxima (a tenth faster than four a turn).
  for (let n = 0; n < eights; n += 8) {
    p0 = Math.max(p0, Math.abs((out[n] = gx * x[n] + gy * y[n])))
    p1 = Math.max(p1, Math.abs((out[n + 1] = gx * x[n + 1] + gy * y[n + 1])))
    p2 = Math.max(p2, Math.abs((out[n + 2] = gx * x[n + 2] + gy * y[n + 2])))
    p3 = Math.max(p3, Math.abs((out[n + 3] = gx * x[n + 3] + gy * y[n + 3])))
    p0 = Math.max(p0, Math.abs((out[n + 4] = gx * x[n + 4] + gy * y[n + 4])))
    p1 = Math.max(p1, Math.abs((out[n + 5] = gx * x[n + 5] + gy * y[n + 5])))
    p2 = Math.max(p2, Math.abs((out[n + 6] = gx * x[n + 6] + gy * y[n + 6])))
    p3 = Math.max(p3, Math.abs((out[n + 7] = gx * x[n + 7] + gy * y[n + 7])))
  }
  // The peak of the float64 sums: rounding to float32 is monotonic, so rounding it gives the
  // peak of the float32 values stored.
  return Math.fround(Math.max(p0, p1, p2, p3))
}
