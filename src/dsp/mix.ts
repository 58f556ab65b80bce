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
 * fourth sample: with one, each comparison waits on the one before (three times slower).
 */
function channelPeak(x: Float32Array): number {
  let p0 = 0
  let p1 = 0
  let p2 = 0
  let p3 = 0
  const length = x.length
  const fours = length - (length % 4)
  let i = 0
  for (; i < fours; i += 4) {
    const a = Math.abs(x[i])
    const b = Math.abs(x[i + 1])
    const c = Math.abs(x[i + 2])
    const d = Math.abs(x[i + 3])
    // NaN is never greater: the else branch (almost never taken) finds it.
    if (a > p0) p0 = a
    else if (a !== a) return NaN
    if (b > p1) p1 = b
    else if (b !== b) return NaN
    if (c > p2) p2 = c
    else if (c !== c) return NaN
    if (d > p3) p3 = d
    else if (d !== d) return NaN
  }
  for (; i < length; i++) {
    const a = Math.abs(x[i])
    if (a > p0) p0 = a
    else if (a !== a) return NaN
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

/** x[i] ·= factor, four samples a turn (half the time of one: fewer loop checks per sample). */
function scaleInPlace(x: Float32Array, factor: number): void {
  const length = x.length
  const fours = length - (length % 4)
  let i = 0
  for (; i < fours; i += 4) {
    x[i] *= factor
    x[i + 1] *= factor
    x[i + 2] *= factor
    x[i + 3] *= factor
  }
  for (; i < length; i++) x[i] *= factor
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
 * One or two such sources (every mix the default graph makes) are mixed four samples a turn
 * (fewer loop checks per sample), finding the peak of the float32 values stored in the same
 * pass, with four running maxima (with one, each comparison waits on the one before).
 */
function mixChannel(
  inputs: { ch: Float32Array; gain: number }[],
  length: number,
  scale: number,
): Mixed {
  const out = new Float32Array(length)
  const full = inputs.every(({ ch }) => ch.length === length)
  if (!full || inputs.length > 2) {
    const acc = new Float64Array(length)
    for (const { ch, gain } of inputs) for (let n = 0; n < ch.length; n++) acc[n] += gain * ch[n]
    for (let n = 0; n < length; n++) out[n] = acc[n] * scale
    return { out, peak: undefined }
  }
  const x = inputs[0].ch
  const gx = inputs[0].gain
  // One source: itself again at gain 0 adds exact zeros (x finite; the node refuses others).
  const y = inputs.length === 2 ? inputs[1].ch : x
  const gy = inputs.length === 2 ? inputs[1].gain : 0
  let p0 = 0
  let p1 = 0
  let p2 = 0
  let p3 = 0
  let nan = false
  const fours = length - (length % 4)
  let n = 0
  for (; n < fours; n += 4) {
    const a = Math.abs((out[n] = (gx * x[n] + gy * y[n]) * scale))
    const b = Math.abs((out[n + 1] = (gx * x[n + 1] + gy * y[n + 1]) * scale))
    const c = Math.abs((out[n + 2] = (gx * x[n + 2] + gy * y[n + 2]) * scale))
    const d = Math.abs((out[n + 3] = (gx * x[n + 3] + gy * y[n + 3]) * scale))
    // NaN is never greater: the else branches (almost never taken) notice it.
    if (a > p0) p0 = a
    else if (a !== a) nan = true
    if (b > p1) p1 = b
    else if (b !== b) nan = true
    if (c > p2) p2 = c
    else if (c !== c) nan = true
    if (d > p3) p3 = d
    else if (d !== d) nan = true
  }
  for (; n < length; n++) {
    const a = Math.abs((out[n] = (gx * x[n] + gy * y[n]) * scale))
    if (a > p0) p0 = a
    else if (a !== a) nan = true
  }
  // The peak of the float64 sums: rounding to float32 is monotonic, so rounding it gives the
  // peak of the float32 values stored.
  return { out, peak: nan ? NaN : Math.fround(Math.max(p0, p1, p2, p3)) }
}
