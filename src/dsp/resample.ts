/**
 * Band-limited resampling by a Hann-windowed sinc, with the semantics of torchaudio's
 * `functional.resample` (method `sinc_interp_hann`, defaults lowpass_filter_width 6, rolloff
 * 0.99): the rates are reduced by their gcd to `orig → new`, the cutoff is
 * `base = min(orig, new) · rolloff` (in cycles per reduced period), and
 *
 *   y[j] = Σᵢ x[i] · (base / orig) · sinc(t) · cos²(π t / (2 W)),  t = base · (i / orig − j / new),
 *
 * with |t| ≤ W (W = lowpass_filter_width zero crossings each side), sinc(t) = sin(πt)/(πt), x
 * zero outside the input, and `ceil(n · new / orig)` outputs. References: J. O. Smith, "Digital
 * Audio Resampling Home Page" (bandlimited interpolation); torchaudio/functional/functional.py
 * `_get_sinc_resample_kernel`. Unlike torchaudio, which convolves with a full `2·width + orig`
 * kernel per phase, only the taps inside |t| ≤ W are kept, which makes coprime rates such as
 * 44100 → 44101 cheap; the result is the same up to rounding.
 */

export interface ResampleOptions {
  /** Zero crossings of the sinc on each side (sharper cutoff, more work). Default 6. */
  lowpassFilterWidth?: number
  /** Cutoff as a fraction of the lower Nyquist frequency, below 1 to leave a transition band. */
  rolloff?: number
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b]
  return a
}

/** Output length for `inputLength` samples: ceil(n · to / from), as torchaudio. */
export function resampledLength(inputLength: number, fromRateHz: number, toRateHz: number): number {
  const g = gcd(fromRateHz, toRateHz)
  return Math.ceil((inputLength * (toRateHz / g)) / (fromRateHz / g))
}

/** Coefficients per output phase: taps `first..first+count` relative to `b · orig − width`. */
interface PhaseTable {
  orig: number
  phases: number
  width: number
  first: Int32Array
  count: Int32Array
  offset: Int32Array
  taps: Float64Array
}

function buildTable(orig: number, phases: number, lw: number, rolloff: number): PhaseTable {
  const base = Math.min(orig, phases) * rolloff
  const width = Math.ceil((lw * orig) / base)
  const length = 2 * width + orig
  const first = new Int32Array(phases)
  const count = new Int32Array(phases)
  const offset = new Int32Array(phases + 1)
  const ranges: [number, number][] = []
  for (let k = 0; k < phases; k++) {
    // |t| < W  ⟺  m ∈ width + orig · (k/new ± W/base): only those taps are non-zero.
    const centre = width + (orig * k) / phases
    const lo = Math.max(0, Math.floor(centre - (orig * lw) / base))
    const hi = Math.min(length - 1, Math.ceil(centre + (orig * lw) / base))
    ranges.push([lo, hi])
    first[k] = lo
    count[k] = hi - lo + 1
    offset[k + 1] = offset[k] + count[k]
  }
  const taps = new Float64Array(offset[phases])
  const scale = base / orig
  for (let k = 0; k < phases; k++) {
    const [lo, hi] = ranges[k]
    for (let m = lo; m <= hi; m++) {
      let t = base * ((m - width) / orig - k / phases)
      t = Math.max(-lw, Math.min(lw, t))
      const window = Math.cos((Math.PI * t) / (2 * lw)) ** 2
      const sinc = t === 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t)
      taps[offset[k] + m - lo] = sinc * window * scale
    }
  }
  return { orig, phases, width, first, count, offset, taps }
}

/**
 * Resamples one channel from `fromRateHz` to `toRateHz` (positive whole numbers). Equal rates
 * return an exact copy.
 */
export function resample(
  input: Float32Array,
  fromRateHz: number,
  toRateHz: number,
  options: ResampleOptions = {},
): Float32Array {
  for (const rate of [fromRateHz, toRateHz])
    if (!Number.isInteger(rate) || rate <= 0)
      throw new RangeError(`Sample rates must be positive whole numbers, got ${rate}`)
  const lw = options.lowpassFilterWidth ?? 6
  const rolloff = options.rolloff ?? 0.99
  if (!(lw > 0)) throw new RangeError(`lowpassFilterWidth must be positive, got ${lw}`)
  if (!(rolloff > 0 && rolloff <= 1))
    throw new RangeError(`rolloff must be in (0, 1], got ${rolloff}`)
  if (fromRateHz === toRateHz) return input.slice()

  const g = gcd(fromRateHz, toRateHz)
  const table = buildTable(fromRateHz / g, toRateHz / g, lw, rolloff)
  const { orig, phases, width, first, count, offset, taps } = table
  const n = input.length
  const out = new Float32Array(resampledLength(n, fromRateHz, toRateHz))
  let block = 0
  let k = 0
  for (let j = 0; j < out.length; j++) {
    const start = block * orig - width + first[k]
    const o = offset[k]
    // Clip the tap range to the input instead of testing each tap (zero padding outside).
    const from = Math.max(0, -start)
    const to = Math.min(count[k], n - start)
    let sum = 0
    for (let c = from; c < to; c++) sum += input[start + c] * taps[o + c]
    out[j] = sum
    if (++k === phases) {
      k = 0
      block++
    }
  }
  return out
}
