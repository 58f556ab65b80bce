/**
 * Mel filterbanks as torchaudio.functional.melscale_fbanks (torchaudio ≥ 0.10), and applying them.
 *
 * Mel scales (Hz ↔ mel):
 *   'htk'     m = 2595 · log10(1 + f/700)                      (O'Shaughnessy 1987; HTK book)
 *   'slaney'  m = f / (200/3) below 1 kHz, 15 + ln(f/1000) / (ln 6.4 / 27) above
 *             (Slaney's Auditory Toolbox, librosa's default)
 *
 * Filters: n_freqs = ⌊N/2⌋ + 1 bin frequencies f_k = k · ⌊sr/2⌋ / (n_freqs − 1) (torchaudio's
 * linspace(0, sr // 2, n_freqs): the integer Nyquist is its quirk, kept so filterbanks match), and
 * n_mels + 2 points f_p equally spaced in mel from f_min to f_max. Filter m is the triangle
 *
 *   fb[k, m] = max(0, min((f_k − f_p[m]) / (f_p[m+1] − f_p[m]), (f_p[m+2] − f_k) / (f_p[m+2] − f_p[m+1])))
 *
 * and norm 'slaney' multiplies it by 2 / (f_p[m+2] − f_p[m]) (equal area). Every frequency lies in
 * at most two neighbouring triangles, so each filter is stored as its range of nonzero bins.
 */

export type MelScale = 'htk' | 'slaney'
export type MelNorm = 'none' | 'slaney'

export interface MelOptions {
  sampleRate: number
  /** FFT size N: the filterbank spans ⌊N/2⌋ + 1 bins. */
  fftSize: number
  melBins: number
  fMinHz: number
  fMaxHz: number
  scale: MelScale
  norm: MelNorm
}

export interface MelFilterbank {
  freqBins: number
  melBins: number
  /** Dense, as torchaudio: weights[k · melBins + m] = fb[k, m]. */
  weights: Float64Array
  /** Filter m is nonzero on bins [start[m], end[m]) (empty when start = end). */
  start: Int32Array
  end: Int32Array
}

const SLANEY_F_SP = 200 / 3
const SLANEY_MIN_LOG_HZ = 1000
const SLANEY_MIN_LOG_MEL = SLANEY_MIN_LOG_HZ / SLANEY_F_SP
const SLANEY_LOGSTEP = Math.log(6.4) / 27

export function hzToMel(hz: number, scale: MelScale): number {
  if (scale === 'htk') return 2595 * Math.log10(1 + hz / 700)
  if (hz < SLANEY_MIN_LOG_HZ) return hz / SLANEY_F_SP
  return SLANEY_MIN_LOG_MEL + Math.log(hz / SLANEY_MIN_LOG_HZ) / SLANEY_LOGSTEP
}

export function melToHz(mel: number, scale: MelScale): number {
  if (scale === 'htk') return 700 * (10 ** (mel / 2595) - 1)
  if (mel < SLANEY_MIN_LOG_MEL) return mel * SLANEY_F_SP
  return SLANEY_MIN_LOG_HZ * Math.exp(SLANEY_LOGSTEP * (mel - SLANEY_MIN_LOG_MEL))
}

/** The n_mels + 2 corner frequencies f_p of the triangles, in Hz. */
export function melCornersHz(options: MelOptions): Float64Array {
  const { melBins, fMinHz, fMaxHz, scale } = options
  const lo = hzToMel(fMinHz, scale)
  const hi = hzToMel(fMaxHz, scale)
  const corners = new Float64Array(melBins + 2)
  for (let p = 0; p < melBins + 2; p++) {
    corners[p] = melToHz(lo + ((hi - lo) * p) / (melBins + 1), scale)
  }
  return corners
}

const cache = new Map<string, MelFilterbank>()

/** The filterbank for the options (cached: treat it as read-only). */
export function melFilterbank(options: MelOptions): MelFilterbank {
  const { sampleRate, fftSize, melBins, fMinHz, fMaxHz } = options
  if (!(Number.isInteger(fftSize) && fftSize >= 2)) throw new RangeError(`Bad FFT size ${fftSize}`)
  if (!(Number.isInteger(melBins) && melBins >= 1)) throw new RangeError(`Bad mel count ${melBins}`)
  if (!(fMinHz >= 0 && fMaxHz > fMinHz)) {
    throw new RangeError(`The mel range ${fMinHz}–${fMaxHz} Hz is empty`)
  }
  const key = JSON.stringify(options)
  const cached = cache.get(key)
  if (cached) return cached
  const freqBins = Math.floor(fftSize / 2) + 1
  const nyquist = Math.floor(sampleRate / 2)
  const f = melCornersHz(options)
  const weights = new Float64Array(freqBins * melBins)
  const start = new Int32Array(melBins).fill(freqBins)
  const end = new Int32Array(melBins)
  for (let m = 0; m < melBins; m++) {
    const down = f[m + 1] - f[m]
    const up = f[m + 2] - f[m + 1]
    const area = options.norm === 'slaney' ? 2 / (f[m + 2] - f[m]) : 1
    for (let k = 0; k < freqBins; k++) {
      const hz = (k * nyquist) / (freqBins - 1)
      const w = Math.max(0, Math.min((hz - f[m]) / down, (f[m + 2] - hz) / up)) * area
      if (!(w > 0)) continue
      weights[k * melBins + m] = w
      if (k < start[m]) start[m] = k
      end[m] = k + 1
    }
    if (end[m] === 0) start[m] = 0
  }
  const bank = { freqBins, melBins, weights, start, end }
  cache.set(key, bank)
  return bank
}

/** mel[m, t] = Σ_k fb[k, m] · S[k, t]; S is bin-major `freqBins × frames`, so is the result. */
export function applyMel(
  bank: MelFilterbank,
  spectrum: Float32Array,
  frames: number,
): Float32Array {
  const { freqBins, melBins, weights, start, end } = bank
  if (spectrum.length !== freqBins * frames) {
    throw new RangeError(`${spectrum.length} values are not ${freqBins} bins × ${frames} frames`)
  }
  const out = new Float32Array(melBins * frames)
  const row = new Float64Array(frames)
  for (let m = 0; m < melBins; m++) {
    row.fill(0)
    for (let k = start[m]; k < end[m]; k++) {
      const w = weights[k * melBins + m]
      const base = k * frames
      for (let t = 0; t < frames; t++) row[t] += w * spectrum[base + t]
    }
    out.set(row, m * frames)
  }
  return out
}
