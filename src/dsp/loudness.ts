/**
 * Loudness and true peak after ITU-R BS.1770-4 (EBU R128 uses the same measure).
 *
 * Integrated loudness:
 *   1. K-weighting per channel: a high shelf (+4 dB above ~1.7 kHz, the head's effect) then a
 *      high pass (~38 Hz, "RLB"). BS.1770 gives the coefficients at 48 kHz only; here both
 *      biquads are derived at any rate from their analog prototypes by the bilinear transform
 *      with prewarping, K = tan(π f0 / fs), using the prototype constants libebur128 and
 *      ffmpeg's `ebur128` filter fitted to the 48 kHz table (f0, gain and Q below).
 *   2. Mean square z_i of each channel over 400 ms blocks starting every 100 ms (75 % overlap);
 *      only whole blocks count. A step is round(fs / 10) samples, so at a rate that is not a
 *      multiple of 10 Hz a block is 400 ms to within half a sample.
 *   3. Block loudness l_j = −0.691 + 10·log10(Σ_i G_i · z_ij), channel weights G_i below.
 *   4. Absolute gate: blocks with l_j > −70 LUFS. Relative gate: Γr = loudness of the mean power
 *      of those blocks − 10 LU; integrated loudness = −0.691 + 10·log10 of the mean of
 *      Σ_i G_i · z_ij over blocks above both gates. No block left → null (silence), never
 *      NaN or −Infinity.
 *
 * Channel weights (BS.1770-4 Table 3): 1.0 for left, right and centre, 1.41 for the surrounds.
 * Layouts are taken from the channel count, in the order WAV and ffmpeg use: 1–3 channels
 * weigh 1.0 each (mono; L R; L R C — a three-channel RGB reading is measured as L R C, so
 * red, green and blue count alike; to measure what a listener hears, measure its stereo
 * downmix, `rgbToStereo`), 4 = L R Ls Rs, 5 = L R C Ls Rs, 6 = L R C LFE Ls Rs (LFE weighs 0),
 * and any channel past the sixth is counted as a surround (1.41).
 *
 * True peak (BS.1770-4 Annex 2): 4× oversampling with the Annex's 48-tap polyphase FIR
 * (four phases of 12 taps, `TRUE_PEAK_PHASES`), the largest |interpolated sample| over all
 * channels, in dBTP = 20·log10(peak). The sample peak is a lower bound of the true peak and is
 * included. The Annex's −12.04 dB input attenuation exists for fixed-point headroom and is not
 * needed in floating point. ffmpeg's filter oversamples to 192 kHz with its own resampler
 * instead, so the two agree to a few tenths of a dB, not exactly.
 */

export interface LoudnessMeasure {
  /** ITU-R BS.1770-4 integrated loudness in LUFS; null when the gated signal is silent. */
  integratedLufs: number | null
  /** 4× oversampled true peak in dBTP; null when every sample is 0. */
  truePeakDbtp: number | null
}

/** Absolute gate (LUFS) and relative gate (LU below the absolutely gated loudness). */
export const ABSOLUTE_GATE_LUFS = -70
export const RELATIVE_GATE_LU = -10

/** One biquad, normalised so a0 = 1: y = b0 x + b1 x₁ + b2 x₂ − a1 y₁ − a2 y₂. */
export interface Biquad {
  b0: number
  b1: number
  b2: number
  a1: number
  a2: number
}

/**
 * The two K-weighting stages at `sampleRate` (libebur128's `ebur128_init_filter`, the same
 * constants ffmpeg's af_ebur128 uses). At 48 kHz they reproduce BS.1770-4 Tables 1 and 2.
 */
export function kWeightingFilters(sampleRate: number): { shelf: Biquad; highPass: Biquad } {
  // Stage 1: high shelf, f0 ≈ 1681.97 Hz, +4 dB, Q ≈ 0.7072.
  let f0 = 1681.974450955533
  const gainDb = 3.999843853973347
  let q = 0.7071752369554196
  let k = Math.tan((Math.PI * f0) / sampleRate)
  const vh = 10 ** (gainDb / 20)
  const vb = vh ** 0.4996667741545416
  let a0 = 1 + k / q + k * k
  const shelf: Biquad = {
    b0: (vh + (vb * k) / q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / q + k * k) / a0,
  }
  // Stage 2: second-order high pass, f0 ≈ 38.14 Hz, Q ≈ 0.5003; numerator 1, −2, 1 as in the
  // standard's table (its gain at high frequencies is 1 only up to the table's rounding).
  f0 = 38.13547087602444
  q = 0.5003270373238773
  k = Math.tan((Math.PI * f0) / sampleRate)
  a0 = 1 + k / q + k * k
  const highPass: Biquad = {
    b0: 1,
    b1: -2,
    b2: 1,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / q + k * k) / a0,
  }
  return { shelf, highPass }
}

/** |H(e^{jω})|² of a biquad at `frequencyHz` (for checks and for the analytic tests). */
export function biquadPowerGain(f: Biquad, frequencyHz: number, sampleRate: number): number {
  const w = (2 * Math.PI * frequencyHz) / sampleRate
  const c1 = Math.cos(w)
  const s1 = Math.sin(w)
  const c2 = Math.cos(2 * w)
  const s2 = Math.sin(2 * w)
  const nr = f.b0 + f.b1 * c1 + f.b2 * c2
  const ni = -(f.b1 * s1 + f.b2 * s2)
  const dr = 1 + f.a1 * c1 + f.a2 * c2
  const di = -(f.a1 * s1 + f.a2 * s2)
  return (nr * nr + ni * ni) / (dr * dr + di * di)
}

/** BS.1770-4 channel weights for a layout of `count` channels (see the header). */
export function channelWeights(count: number): number[] {
  const surround = 1.41
  const layouts: Record<number, number[]> = {
    1: [1],
    2: [1, 1],
    3: [1, 1, 1],
    4: [1, 1, surround, surround],
    5: [1, 1, 1, surround, surround],
    6: [1, 1, 1, 0, surround, surround],
  }
  const known = layouts[Math.min(count, 6)] ?? []
  return Array.from({ length: count }, (_, i) => known[i] ?? surround)
}

/**
 * Adds w_a·Σ y_a² + w_b·Σ y_b² of the K-weighted channels a and b over consecutive segments of
 * `segment` samples (the 100 ms steps) to `out`; a trailing partial segment is dropped. Both
 * biquads run in float64 in direct form I. Two channels go through one loop because each
 * filter's recursion is a chain of dependent operations: two independent chains keep the CPU
 * busy while each waits (about 1.7× faster than one channel at a time). `b` may be null.
 */
function addKWeightedPowers(
  a: Float32Array,
  b: Float32Array | null,
  wa: number,
  wb: number,
  sampleRate: number,
  segment: number,
  out: Float64Array,
): void {
  const { shelf, highPass } = kWeightingFilters(sampleRate)
  const c = Float64Array.of(
    shelf.b0,
    shelf.b1,
    shelf.b2,
    shelf.a1,
    shelf.a2,
    highPass.a1,
    highPass.a2,
  )
  // State per channel: input x, shelf output m, high-pass output y, one and two samples back;
  // then the two sums of squares.
  const state = new Float64Array(14)
  const other = b ?? a
  const wOther = b ? wb : 0
  // One call per 100 ms segment rather than one long loop: V8 then compiles the hot function
  // fully instead of patching the running loop, about twice as fast on long audio.
  for (let seg = 0; seg < out.length; seg++) {
    kWeightSegment(a, other, seg * segment, (seg + 1) * segment, c, state)
    out[seg] += wa * state[12] + wOther * state[13]
  }
}

function kWeightSegment(
  a: Float32Array,
  b: Float32Array,
  from: number,
  to: number,
  c: Float64Array,
  state: Float64Array,
): void {
  const b0 = c[0]
  const b1 = c[1]
  const b2 = c[2]
  const a1 = c[3]
  const a2 = c[4]
  const ha1 = c[5]
  const ha2 = c[6]
  let ax1 = state[0]
  let ax2 = state[1]
  let am1 = state[2]
  let am2 = state[3]
  let ay1 = state[4]
  let ay2 = state[5]
  let bx1 = state[6]
  let bx2 = state[7]
  let bm1 = state[8]
  let bm2 = state[9]
  let by1 = state[10]
  let by2 = state[11]
  let sa = 0
  let sb = 0
  for (let n = from; n < to; n++) {
    const ax0 = a[n]
    const bx0 = b[n]
    const am0 = b0 * ax0 + b1 * ax1 + b2 * ax2 - a1 * am1 - a2 * am2
    const bm0 = b0 * bx0 + b1 * bx1 + b2 * bx2 - a1 * bm1 - a2 * bm2
    const ay0 = am0 - 2 * am1 + am2 - ha1 * ay1 - ha2 * ay2
    const by0 = bm0 - 2 * bm1 + bm2 - ha1 * by1 - ha2 * by2
    ax2 = ax1
    ax1 = ax0
    am2 = am1
    am1 = am0
    ay2 = ay1
    ay1 = ay0
    bx2 = bx1
    bx1 = bx0
    bm2 = bm1
    bm1 = bm0
    by2 = by1
    by1 = by0
    sa += ay0 * ay0
    sb += by0 * by0
  }
  state.set([ax1, ax2, am1, am2, ay1, ay2, bx1, bx2, bm1, bm2, by1, by2, sa, sb])
}

const lufsOf = (power: number): number => -0.691 + 10 * Math.log10(power)

/**
 * Integrated loudness (LUFS) of planar channels at `sampleRate`; null when no 400 ms block
 * passes the gates (silence, or a signal shorter than one block).
 */
export function integratedLoudness(
  channels: readonly Float32Array[],
  sampleRate: number,
): number | null {
  checkInput(channels, sampleRate)
  const segment = Math.round(sampleRate / 10)
  const weights = channelWeights(channels.length)
  const length = Math.min(...channels.map((c) => c.length))
  const segments = Math.floor(length / segment)
  if (segments < 4) return null
  // Weighted power per 100 ms segment, summed over channels.
  const seg = new Float64Array(segments)
  const weighted = channels.flatMap((ch, i) => (weights[i] > 0 ? [{ ch, w: weights[i] }] : []))
  for (let i = 0; i < weighted.length; i += 2) {
    const b = weighted[i + 1]
    addKWeightedPowers(
      weighted[i].ch,
      b?.ch ?? null,
      weighted[i].w,
      b?.w ?? 0,
      sampleRate,
      segment,
      seg,
    )
  }
  // Block j covers segments j..j+3: its mean square is their sum over 4 segments' samples.
  const blocks = new Float64Array(segments - 3)
  const blockSamples = 4 * segment
  for (let j = 0; j < blocks.length; j++)
    blocks[j] = (seg[j] + seg[j + 1] + seg[j + 2] + seg[j + 3]) / blockSamples
  const absolute = 10 ** ((ABSOLUTE_GATE_LUFS + 0.691) / 10)
  const gatedMean = (threshold: number): number | null => {
    let sum = 0
    let count = 0
    for (const b of blocks)
      if (b > threshold) {
        sum += b
        count++
      }
    return count > 0 ? sum / count : null
  }
  const absMean = gatedMean(absolute)
  if (absMean === null) return null
  const relative = absMean * 10 ** (RELATIVE_GATE_LU / 10)
  const mean = gatedMean(Math.max(absolute, relative))
  return mean === null ? null : lufsOf(mean)
}

/**
 * BS.1770-4 Annex 2 interpolation filter, 4 phases × 12 taps: phase p gives the value p/4 of a
 * sample period after x[n−6], y_p[n] = Σ_k h_p[k]·x[n−k].
 */
export const TRUE_PEAK_PHASES: readonly (readonly number[])[] = [
  [
    0.001708984375, 0.010986328125, -0.0196533203125, 0.033203125, -0.0594482421875,
    0.1373291015625, 0.97216796875, -0.102294921875, 0.047607421875, -0.026611328125,
    0.014892578125, -0.00830078125,
  ],
  [
    -0.0291748046875, 0.029296875, -0.0517578125, 0.089111328125, -0.16650390625, 0.465087890625,
    0.77978515625, -0.2003173828125, 0.1015625, -0.0582275390625, 0.0330810546875, -0.0189208984375,
  ],
  [
    -0.0189208984375, 0.0330810546875, -0.0582275390625, 0.1015625, -0.2003173828125, 0.77978515625,
    0.465087890625, -0.16650390625, 0.089111328125, -0.0517578125, 0.029296875, -0.0291748046875,
  ],
  [
    -0.00830078125, 0.014892578125, -0.026611328125, 0.047607421875, -0.102294921875, 0.97216796875,
    0.1373291015625, -0.0594482421875, 0.033203125, -0.0196533203125, 0.010986328125,
    0.001708984375,
  ],
]

const TAPS = 12
/** Σ|h_p[k]| of the widest phase: |interpolated| ≤ this × the window's largest |x|. */
const PHASE_ABS_SUM = Math.max(
  ...TRUE_PEAK_PHASES.map((p) => p.reduce((s, v) => s + Math.abs(v), 0)),
)
const BLOCK = 512

/**
 * The Annex's phases 3 and 2 are phases 0 and 1 reversed, so with x_k = x[n−k],
 * s_k = x_k + x_{11−k} and d_k = x_k − x_{11−k} (k < 6):
 *   y0 + y3 = Σ (h0[k] + h0[11−k]) s_k = 2u,   y0 − y3 = Σ (h0[k] − h0[11−k]) d_k = 2v,
 * and max(|y0|, |y3|) = |u| + |v| (likewise phases 1 and 2): 24 multiplies for four phases.
 */
const half = (p: readonly number[], sign: 1 | -1): Float64Array =>
  Float64Array.from({ length: TAPS / 2 }, (_, k) => (p[k] + sign * p[TAPS - 1 - k]) / 2)
const U0 = half(TRUE_PEAK_PHASES[0], 1)
const V0 = half(TRUE_PEAK_PHASES[0], -1)
const U1 = half(TRUE_PEAK_PHASES[1], 1)
const V1 = half(TRUE_PEAK_PHASES[1], -1)

/**
 * Largest |x| of the 4× interpolated channel, zeros assumed before the start and after the
 * end (so the filter's tails are seen), at least `floor`. Blocks whose largest sample, times
 * the filter's Σ|h|, cannot beat the peak found so far are skipped: exact, and most blocks of
 * ordinary audio go.
 */
export function channelTruePeak(x: Float32Array, floor = 0): number {
  const n = x.length
  const outputs = n + TAPS - 1 // y[m] for m = 0 .. n+10 reads x[m−11 .. m]
  const w = new Float64Array(BLOCK + TAPS - 1)
  const [u00, u01, u02, u03, u04, u05] = U0
  const [v00, v01, v02, v03, v04, v05] = V0
  const [u10, u11, u12, u13, u14, u15] = U1
  const [v10, v11, v12, v13, v14, v15] = V1
  let peak = floor
  for (let start = 0; start < outputs; start += BLOCK) {
    const count = Math.min(BLOCK, outputs - start)
    let local = 0
    for (let i = 0; i < count + TAPS - 1; i++) {
      const j = start - (TAPS - 1) + i
      const v = j >= 0 && j < n ? x[j] : 0
      w[i] = v
      const a = v < 0 ? -v : v
      if (a > local) local = a
    }
    if (local * PHASE_ABS_SUM <= peak) continue
    // A sliding window in locals: one load per output instead of twelve.
    let w0 = w[0]
    let w1 = w[1]
    let w2 = w[2]
    let w3 = w[3]
    let w4 = w[4]
    let w5 = w[5]
    let w6 = w[6]
    let w7 = w[7]
    let w8 = w[8]
    let w9 = w[9]
    let w10 = w[10]
    for (let t = 0; t < count; t++) {
      // x_k = w_{11−k}, the newest sample last.
      const w11 = w[t + 11]
      const s0 = w11 + w0
      const d0 = w11 - w0
      const s1 = w10 + w1
      const d1 = w10 - w1
      const s2 = w9 + w2
      const d2 = w9 - w2
      const s3 = w8 + w3
      const d3 = w8 - w3
      const s4 = w7 + w4
      const d4 = w7 - w4
      const s5 = w6 + w5
      const d5 = w6 - w5
      const u0 = u00 * s0 + u01 * s1 + (u02 * s2 + u03 * s3) + (u04 * s4 + u05 * s5)
      const v0 = v00 * d0 + v01 * d1 + (v02 * d2 + v03 * d3) + (v04 * d4 + v05 * d5)
      const u1 = u10 * s0 + u11 * s1 + (u12 * s2 + u13 * s3) + (u14 * s4 + u15 * s5)
      const v1 = v10 * d0 + v11 * d1 + (v12 * d2 + v13 * d3) + (v14 * d4 + v15 * d5)
      const p0 = (u0 < 0 ? -u0 : u0) + (v0 < 0 ? -v0 : v0)
      const p1 = (u1 < 0 ? -u1 : u1) + (v1 < 0 ? -v1 : v1)
      if (p0 > peak) peak = p0
      if (p1 > peak) peak = p1
      w0 = w1
      w1 = w2
      w2 = w3
      w3 = w4
      w4 = w5
      w5 = w6
      w6 = w7
      w7 = w8
      w8 = w9
      w9 = w10
      w10 = w11
    }
  }
  return peak
}

/** The true peak as a linear amplitude (0 for silence). */
export function truePeak(channels: readonly Float32Array[]): number {
  let peak = 0
  for (const ch of channels)
    for (let i = 0; i < ch.length; i++) {
      const a = Math.abs(ch[i])
      if (a > peak) peak = a
    }
  if (peak === 0) return 0
  for (const ch of channels) peak = channelTruePeak(ch, peak)
  return peak
}

function checkInput(channels: readonly Float32Array[], sampleRate: number): void {
  if (!(Number.isFinite(sampleRate) && sampleRate > 0))
    throw new RangeError(
      `Loudness needs a positive sample rate; got ${sampleRate}. Pass the audio's rate in Hz.`,
    )
  // K-weighting's shelf sits at 1.7 kHz: below 8 kHz it would fold past Nyquist.
  if (sampleRate < 8000)
    throw new RangeError(
      `Loudness (BS.1770) is defined for audio at 8 kHz or more; this audio is at ${sampleRate} Hz. Resample it first.`,
    )
  if (channels.length === 0)
    throw new RangeError('Loudness needs at least one channel; the audio has none.')
  for (const ch of channels)
    for (let i = 0; i < ch.length; i++)
      if (!Number.isFinite(ch[i]))
        throw new RangeError(
          `Loudness cannot measure audio with a non-finite sample (${ch[i]} at ${i}); fix the node that made it.`,
        )
}

/** Integrated loudness and true peak of planar audio (see the header for both measures). */
export function measureLoudness(
  channels: readonly Float32Array[],
  sampleRate: number,
): LoudnessMeasure {
  const integratedLufs = integratedLoudness(channels, sampleRate)
  const peak = truePeak(channels)
  return { integratedLufs, truePeakDbtp: peak > 0 ? 20 * Math.log10(peak) : null }
}

export interface MatchOptions {
  /** Common loudness to reach (LUFS); default: the quietest measured lane's. */
  targetLufs?: number
  /** No lane's true peak may pass this after its gain (dBTP); default −1. */
  ceilingDbtp?: number
}

/**
 * The loudness every measured lane is brought to: the target (default the quietest lane's),
 * lowered as far as needed that no lane's true peak passes the ceiling — lowered for all lanes
 * alike, so they stay matched. Null when every lane is silent.
 */
export function matchedTargetLufs(
  measures: readonly LoudnessMeasure[],
  options: MatchOptions = {},
): number | null {
  const ceiling = options.ceilingDbtp ?? -1
  let target = options.targetLufs ?? Infinity
  let any = false
  for (const { integratedLufs: lufs, truePeakDbtp: peak } of measures) {
    if (lufs === null) continue
    any = true
    target = Math.min(target, options.targetLufs ?? lufs)
    // At loudness T this lane peaks at peak − lufs + T; keep that ≤ ceiling.
    if (peak !== null) target = Math.min(target, ceiling - (peak - lufs))
  }
  return any ? target : null
}

/** Gains (dB) that bring every measured lane to the target (default: the quietest lane's loudness), lowered where needed so no lane's true peak passes ceilingDbtp (default -1). Silent lanes get 0. */
export function matchLoudness(
  measures: readonly LoudnessMeasure[],
  options: MatchOptions = {},
): number[] {
  const target = matchedTargetLufs(measures, options)
  return measures.map(({ integratedLufs }) =>
    integratedLufs === null || target === null ? 0 : target - integratedLufs,
  )
}
