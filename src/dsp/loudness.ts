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
  return gatedLoudness(channels, sampleRate)
}

/** integratedLoudness of checked input. */
function gatedLoudness(channels: readonly Float32Array[], sampleRate: number): number | null {
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
/** Samples per run whose largest |x| bounds the outputs that read it (see channelTruePeak). */
const RUN = 16

/**
 * The Annex's phases 3 and 2 are phases 0 and 1 reversed, so with x_k = x[n−k],
 * s_k = x_k + x_{11−k} and d_k = x_k − x_{11−k} (k < 6):
 *   y0 + y3 = Σ (h0[k] + h0[11−k]) s_k = 2u,   y0 − y3 = Σ (h0[k] − h0[11−k]) d_k = 2v,
 * and max(|y0|, |y3|) = |u| + |v| (likewise phases 1 and 2): 24 multiplies for four phases.
 */
const half = (p: readonly number[], sign: 1 | -1): Float64Array =>
  Float64Array.from({ length: TAPS / 2 }, (_, k) => (p[k] + sign * p[TAPS - 1 - k]) / 2)
/** U0, V0, U1, V1 of six coefficients each, in that order. */
const HALVES = Float64Array.from([
  ...half(TRUE_PEAK_PHASES[0], 1),
  ...half(TRUE_PEAK_PHASES[0], -1),
  ...half(TRUE_PEAK_PHASES[1], 1),
  ...half(TRUE_PEAK_PHASES[1], -1),
])

/**
 * max |x| over each run of RUN samples, x[RUN·i .. RUN·i + RUN), and their maximum (the
 * sample peak). Math.abs, not a comparison: a branch on the sign of audio is mispredicted half
 * the time.
 */
function runMaxima(x: Float32Array): { runs: Float64Array; max: number } {
  const runs = new Float64Array(Math.ceil(x.length / RUN))
  let max = 0
  let nan = false
  for (let r = 0; r < runs.length; r++) {
    const to = Math.min(x.length, (r + 1) * RUN)
    let m = 0
    for (let i = r * RUN; i < to; i++) {
      const a = Math.abs(x[i])
      if (a > m) m = a
      else if (a !== a) nan = true
    }
    runs[r] = m
    if (m > max) max = m
  }
  return { runs, max: nan ? NaN : max }
}

/**
 * Largest |x| of the 4× interpolated channel, zeros assumed before the start and after the
 * end (so the filter's tails are seen), at least `floor`. Outputs come in runs of RUN: outputs
 * RUN·i … RUN·i + RUN − 1 read samples of input runs i − 1 and i only, so a run whose largest
 * such sample, times the filter's Σ|h|, cannot beat the peak found so far is skipped: exact,
 * and on ordinary audio about two thirds of the runs go (they follow the waveform's own swings).
 */
export function channelTruePeak(x: Float32Array, floor = 0, runs = runMaxima(x).runs): number {
  const n = x.length
  const outputs = n + TAPS - 1 // y[m] for m = 0 .. n+10 reads x[m−11 .. m]
  let peak = floor
  // The first and last outputs read past the ends: they read a zero-padded copy instead.
  const edge = new Float32Array(RUN + TAPS - 1)
  for (let r = 0; r * RUN < outputs; r++) {
    const bound = Math.max(runs[r - 1] ?? 0, runs[r] ?? 0)
    if (bound * PHASE_ABS_SUM <= peak) continue
    const from = r * RUN
    const count = Math.min(RUN, outputs - from)
    const base = from - (TAPS - 1) // output from + t reads x[base + t .. base + t + 11]
    if (base >= 0 && base + count + TAPS - 1 <= n) {
      peak = phasePeak(x, base, count, peak)
    } else {
      for (let i = 0; i < edge.length; i++) {
        const j = base + i
        edge[i] = j >= 0 && j < n ? x[j] : 0
      }
      peak = phasePeak(edge, 0, count, peak)
    }
  }
  return peak
}

/**
 * The largest max_p |y_p| over `count` outputs, at least `peak`: output t reads the window
 * w[base + t .. base + t + 11], the newest sample last.
 */
function phasePeak(w: Float32Array, base: number, count: number, peak: number): number {
  const c = HALVES
  const u00 = c[0]
  const u01 = c[1]
  const u02 = c[2]
  const u03 = c[3]
  const u04 = c[4]
  const u05 = c[5]
  const v00 = c[6]
  const v01 = c[7]
  const v02 = c[8]
  const v03 = c[9]
  const v04 = c[10]
  const v05 = c[11]
  const u10 = c[12]
  const u11 = c[13]
  const u12 = c[14]
  const u13 = c[15]
  const u14 = c[16]
  const u15 = c[17]
  const v10 = c[18]
  const v11 = c[19]
  const v12 = c[20]
  const v13 = c[21]
  const v14 = c[22]
  const v15 = c[23]
  // A sliding window in locals: one load per output instead of twelve.
  let w0 = w[base]
  let w1 = w[base + 1]
  let w2 = w[base + 2]
  let w3 = w[base + 3]
  let w4 = w[base + 4]
  let w5 = w[base + 5]
  let w6 = w[base + 6]
  let w7 = w[base + 7]
  let w8 = w[base + 8]
  let w9 = w[base + 9]
  let w10 = w[base + 10]
  const end = base + count + TAPS - 1
  for (let i = base + TAPS - 1; i < end; i++) {
    // x_k = w_{11−k}, the newest sample last.
    const w11 = w[i]
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
    const p0 = Math.abs(u0) + Math.abs(v0)
    const p1 = Math.abs(u1) + Math.abs(v1)
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
  return peak
}

/** The true peak as a linear amplitude (0 for silence). */
export function truePeak(channels: readonly Float32Array[]): number {
  return truePeakOf(channels, channels.map(runMaxima))
}

function truePeakOf(
  channels: readonly Float32Array[],
  maxima: readonly { runs: Float64Array; max: number }[],
): number {
  let peak = 0
  for (const { max } of maxima) if (max > peak) peak = max
  if (peak === 0) return 0
  channels.forEach((ch, c) => (peak = channelTruePeak(ch, peak, maxima[c].runs)))
  return peak
}

function checkInput(channels: readonly Float32Array[], sampleRate: number, samples = true): void {
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
  if (samples) checkSamples(channels)
}

function checkSamples(channels: readonly Float32Array[]): void {
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
  checkInput(channels, sampleRate, false)
  // The samples are checked in the true peak's first pass (an infinite or NaN peak), not in one
  // of their own.
  const maxima = channels.map(runMaxima)
  if (!maxima.every(({ max }) => Number.isFinite(max))) checkSamples(channels)
  const integratedLufs = gatedLoudness(channels, sampleRate)
  const peak = truePeakOf(channels, maxima)
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
