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
    // The extremes by plain comparisons (branches that are almost never taken); a NaN goes to
    // the careful loop, which gives NaN as Math.max would.
    let hi = 0
    let lo = 0
    for (let i = 0; i < ch.length; i++) {
      const v = ch[i]
      if (v > hi) hi = v
      else if (v < lo) lo = v
      else if (v !== v) return carefulPeakOf(channels)
    }
    peak = Math.max(peak, hi, -lo)
  }
  return peak
}

function carefulPeakOf(channels: readonly Float32Array[]): number {
  let peak = 0
  for (const ch of channels) {
    for (let i = 0; i < ch.length; i++) {
      const v = ch[i] < 0 ? -ch[i] : ch[i]
      if (v > peak || v !== v) peak = v !== v ? NaN : v // NaN wins, as Math.max lets it
    }
  }
  return peak
}

/** Scales in place so the peak is `target` (linear); silence is left as it is. Returns the factor. */
export function normalizePeak(channels: Float32Array[], target: number): number {
  const peak = peakOf(channels)
  if (!(peak > 0)) return 1
  const factor = target / peak
  for (const ch of channels) for (let i = 0; i < ch.length; i++) ch[i] *= factor
  return factor
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
  let out: Float32Array[]
  if (mode === 'stereo') {
    out = sources.map(({ channels, gain }) => {
      const scale = channels.length > 0 ? gain / channels.length : 0
      // Σ_ch x_ch in float64 then scaled: mixChannel's sum with unit gains (no 8-byte buffer).
      if (channels.length > 0)
        return mixChannel(
          channels.map((ch) => ({ ch, gain: 1 })),
          length,
          scale,
        )
      return new Float32Array(length)
    })
  } else {
    const width = Math.max(...sources.map((s) => s.channels.length))
    const scale = mode === 'average' ? 1 / sources.length : 1
    out = Array.from({ length: width }, (_unused, c) => {
      const inputs = sources.flatMap(({ channels, gain }) => {
        const ch = channels.length === 1 ? channels[0] : channels[c]
        return ch ? [{ ch, gain }] : []
      })
      return mixChannel(inputs, length, scale)
    })
  }
  if (peak !== undefined) normalizePeak(out, peak)
  return out
}

/**
 * scale · Σ_i g_i·x_i[n] over one channel: summed in float64 registers in the sources' order
 * (what a Float64Array accumulator gives, without one) when every source spans the length.
 */
function mixChannel(
  inputs: { ch: Float32Array; gain: number }[],
  length: number,
  scale: number,
): Float32Array {
  const out = new Float32Array(length)
  const full = inputs.every(({ ch }) => ch.length === length)
  // Arrays and gains in locals, so no property is loaded in the loop.
  if (full && inputs.length === 1) {
    const [{ ch: x, gain: g }] = inputs
    for (let n = 0; n < length; n++) out[n] = g * x[n] * scale
    return out
  }
  if (full && inputs.length === 2) {
    const [{ ch: x, gain: gx }, { ch: y, gain: gy }] = inputs
    for (let n = 0; n < length; n++) out[n] = (gx * x[n] + gy * y[n]) * scale
    return out
  }
  const acc = new Float64Array(length)
  for (const { ch, gain } of inputs) for (let n = 0; n < ch.length; n++) acc[n] += gain * ch[n]
  for (let n = 0; n < length; n++) out[n] = acc[n] * scale
  return out
}
