/**
 * The mixed-radix WASM SIMD backend (src/dsp/wasm/fft.c, built by src/dsp/wasm/build.sh into
 * fft-wasm-binary.ts): real transforms of the sizes whose complex length (N/2 for even N, N for
 * odd) has no prime factor above 257 or one that a Rader stage takes (mixedRadixSupports), of
 * primes p and 2p by Rader's algorithm (raderSupports), and of any size by Bluestein's. Single precision, unscaled both ways:
 * irfft(rfft(x)) = N·x. This file lays out the plans (factors, twiddles in float64 rounded
 * once, buffers) in the module's memory; the C code only reads them.
 */
import { fftWasmBase64, fftWasmRelaxedBase64 } from './fft-wasm-binary'
import { createComplex } from './fft-complex'
import { jsRealFft } from './fft-real-js'

interface Exports {
  memory: WebAssembly.Memory
  fx_alloc: (bytes: number) => number
  fx_free: (pointer: number) => void
  fx_rfft: (plan: number, input: number, spectrum: number) => void
  fx_irfft: (plan: number, spectrum: number, output: number) => void
  fx_rader_rfft: (plan: number, input: number, spectrum: number) => void
  fx_rader_irfft: (plan: number, spectrum: number, output: number) => void
  fx_scale: (data: number, count: number, scale: number) => void
  fx_bluestein_rfft: (plan: number, input: number, spectrum: number) => void
  fx_bluestein_irfft: (plan: number, spectrum: number, output: number) => void
  gl_setup: (griffinLim: number) => void
  gl_rows: (
    griffinLim: number,
    magnitude: number,
    re: number,
    im: number,
    from: number,
    to: number,
    energy: number,
  ) => number
  gl_start: (griffinLim: number) => void
  gl_finish: (griffinLim: number, output: number) => void
  gl_iteration: (griffinLim: number) => number
  gl_iteration_lanes: (griffinLim: number, last: number) => number
}

/** '0': no Rader over a p − 1 with a Rader stage, or zero-padded (raderSupports): for A/B timings. */
const RADER_PADDED = process.env.FFT_RADER_PADDED !== '0'
const RADER_INNER = process.env.FFT_RADER_INNER !== '0'
/** Must match fft.c. */
const MAX_STAGES = 32
const MAX_RADIX = Number(process.env.FFT_MAX_RADIX ?? 257)
/** A prime above 31 takes a generic stage of its own only inside a longer length, or when
 * this small: alone (real sizes p and 2p), Rader's algorithm or Bluestein do it faster. */
const MAX_RADIX_ALONE = Number(process.env.FFT_MAX_RADIX_ALONE ?? 61)
const PLAN_BYTES = 32 + 16 * MAX_STAGES + 16 // then first_rader

export interface MixedRadixModule {
  readonly exports: Exports
  /** Whether this is the build with relaxed SIMD's fused multiply-add (see loadMixedRadix). */
  readonly relaxed: boolean
  /** A view of the whole memory now: re-read after any allocation (memory may grow). */
  heap(): Float32Array
  alloc(floats: number): number
  release(offset: number): void
  /** Plans made so far, by `${size}:${layout}`. */
  readonly plans: Map<string, MixedRadixPlan>
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64)
  const bytes = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i)
  return bytes
}

/**
 * Node 20's V8 (11.3) takes relaxed SIMD only behind a flag, which may be set while running (it is
 * process-wide: worker threads see it too). Reached without importing node:v8, so that this file
 * stays the same for the browser, where `process` is absent (Chromium takes relaxed SIMD as is).
 */
function allowRelaxedSimdInNode(): void {
  const node = (
    globalThis as {
      process?: { getBuiltinModule?: (id: string) => unknown }
    }
  ).process
  const v8 = node?.getBuiltinModule?.('v8') as
    { setFlagsFromString?: (flags: string) => void } | undefined
  v8?.setFlagsFromString?.('--experimental-wasm-relaxed-simd')
}

/**
 * Instantiates the module; rejects where WebAssembly SIMD is missing. Two builds of the same C
 * ship (build.sh): with relaxed SIMD's fused multiply-add in the radix-13/23 butterflies (0.89×
 * the time of Griffin-Lim at n_fft 598 on this machine) where the engine validates it, else plain
 * SIMD. `relaxed: false` asks for the plain one (the tests check both).
 */
export async function loadMixedRadix(
  options: { relaxed?: boolean } = {},
): Promise<MixedRadixModule> {
  let bytes: Uint8Array<ArrayBuffer> | undefined
  if (options.relaxed !== false) {
    allowRelaxedSimdInNode()
    const candidate = decode(fftWasmRelaxedBase64)
    if (WebAssembly.validate(candidate)) bytes = candidate
  }
  const relaxed = bytes !== undefined
  const module = await WebAssembly.compile(bytes ?? decode(fftWasmBase64))
  const instance = await WebAssembly.instantiate(module)
  const exports = instance.exports as unknown as Exports
  let view = new Float32Array(exports.memory.buffer)
  const heap = (): Float32Array => {
    if (view.buffer !== exports.memory.buffer) view = new Float32Array(exports.memory.buffer)
    return view
  }
  return {
    exports,
    relaxed,
    heap,
    alloc(floats) {
      const pointer = exports.fx_alloc(floats * 4)
      if (pointer === 0) throw new RangeError(`The FFT's memory cannot hold ${floats} more floats`)
      return pointer >> 2
    },
    release: (offset) => exports.fx_free(offset << 2),
    plans: new Map(),
  }
}

/** The radices for a complex length: 4s first, then 2, 3, 5, 7 and odd primes ≤ 257 (with
 * `rader`, last a larger prime that a Rader stage takes, raderStageSupports); else null. */
export function radices(length: number, rader = false): number[] | null {
  const out: number[] = []
  let rest = length
  while (rest % 4 === 0) {
    out.push(4)
    rest /= 4
  }
  for (let p = 2; p <= MAX_RADIX && rest > 1; p++) {
    while (rest % p === 0) {
      out.push(p)
      rest /= p
    }
  }
  if (rader && rest > 1 && raderStageSupports(rest)) {
    out.push(rest)
    rest = 1
  }
  return rest === 1 && out.length <= MAX_STAGES ? out : null
}

function isPrime(n: number): boolean {
  if (n < 2) return false
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false
  return true
}

/**
 * Whether this backend does real size n by its stages: n ≥ 8 and its complex length (n/2 or n)
 * has `radices` (a prime above 257 only by a Rader stage), and is not itself a prime above 61
 * (Rader's or Bluestein's sizes). A generic
 * radix-p stage costs O(p) per point: measured (bench/fft-scan.ts) it beats Bluestein inside
 * every composite length up to p = 257 (2^4·251: 4.2× the nearest smooth size against 6.1×;
 * 2^4·97: 2.5× against 6.7×), and alone up to about 61.
 */
export function mixedRadixSupports(n: number): boolean {
  if (!Number.isInteger(n) || n < 8) return false
  const length = n % 2 === 0 ? n / 2 : n
  const factors = radices(length, true)
  if (!factors || (length > MAX_RADIX_ALONE && isPrime(length))) return false
  // A stage of a prime above 61 runs on f32x4 only on four lanes (4 | length) or over m ≥ 4
  // (fft.c, stages_single and odd_real_first); on scalars it is slower than Bluestein (3·173:
  // 22× the nearest smooth size).
  // Off lanes a stage above about 160 loses to Bluestein too (9·229: 8.1× against 5.4×,
  // 4·3·211: 5.3× against 3.9×; 3·7·131: 3.3× against 4.4×).
  // Except the largest prime of an even n when Rader's algorithm runs its stage (the first, with
  // m ≥ 2: raderStageSupports, fft.c rader_stage_first): against Bluestein 4·3·211 3.4× → 2.5×,
  // 2·5·251 3.0× → 2.2×, 2·3·199 3.8× → 2.4×.
  const largest = Math.max(...factors)
  // Above 257 with m = 2 or 3 (half or a quarter of the lanes idle) only for a P − 1 of small
  // primes and P under 2048 (against Bluestein, same run: 4·271 4.0× → 3.4×, 4·1021 4.5× → 3.5×;
  // 4·523 over 2·3²·29 4.1× → 4.5× and 4·4481 4.0–4.7× → 4.5×, so those stay on Bluestein).
  const byRader =
    n % 2 === 0 &&
    raderStageSupports(largest) &&
    length / largest >= 2 &&
    (largest <= MAX_RADIX ||
      length / largest >= 4 ||
      length % 4 === 0 ||
      (largest < 2048 && largestPrime(largest - 1) <= 17))
  // A prime above 257 only by a Rader stage (radices): the largest is the one the plan gives it.
  if (largest > MAX_RADIX && !(byRader || (n % 2 === 0 && length % 4 === 0))) return false
  return (
    length % 4 === 0 ||
    factors.every(
      (p) => p <= MAX_RADIX_ALONE || (byRader && p === largest) || (length / p >= 4 && p <= 160),
    )
  )
}

export interface MixedRadixPlan {
  readonly size: number
  readonly bins: number
  /** Byte offset of the plan, for fx_rfft / fx_irfft. */
  readonly pointer: number
  /** The prime whose stage runs by Rader's algorithm (fft.c, rader_stage), if any. */
  readonly raderStage?: number
}

/**
 * A plan for real size n (see mixedRadixSupports). Plans live as long as the module. 'scalar'
 * plans have stages over the whole complex length: what the four-frame transforms of
 * griffin-lim.inc.c run (one frame per lane).
 */
export function createMixedRadixPlan(
  mod: MixedRadixModule,
  n: number,
  layout: 'lanes' | 'scalar' = 'lanes',
  first?: number,
): MixedRadixPlan {
  const key = first ? `${n}:rader-first` : `${n}:${layout}`
  const known = mod.plans.get(key)
  if (known) return known
  const h = n % 2 === 0 ? n / 2 : n
  const lanes = h % 4 === 0 && layout === 'lanes' ? 4 : 1
  const len = h / lanes
  // A single transform on f32x4 without lanes (fft.c, stages_single) wants its first radix
  // large: the stages after it then have stride ≥ 4 (and an odd size's real first stage makes
  // the fewest rows). The rest ascending, so the largest of them is the last stage, which skips
  // its twiddles: 0.97–1.0× the time of descending (1023, 1015, 598, 20577; same process).
  const single = lanes === 1 && layout === 'lanes'
  const descending = first
    ? [first, ...(radices(len / first) ?? []).sort((a, b) => b - a)]
    : radices(len, true)?.sort((a, b) => b - a)
  const factors =
    single && descending ? [descending[0], ...descending.slice(1).reverse()] : radices(len, true)
  // A prime stage by Rader's algorithm (fft.c, rader_stage) on four lanes. On one transform (even
  // n) only where the stage runs on f32x4: the first with m ≥ 2 (rader_stage_first), or s ≥ 4.
  // Odd n: a later stage (the first is odd_real_first's, on real data, or Rader's first stage).
  // The largest such prime (one above 257 has no other stage: radices, mixedRadixSupports).
  const raderAt =
    factors && (lanes === 4 || single)
      ? factors.reduce(
          (best, p, i) =>
            raderStageSupports(p) &&
            (lanes === 4 ||
              (i === 0
                ? n % 2 === 0 && !first && len / p >= 2
                : factors.slice(0, i).reduce((a, b) => a * b, 1) >= 4)) &&
            (best < 0 || p > factors[best])
              ? i
              : best,
          -1,
        )
      : -1
  if (factors && factors.some((p, i) => p > MAX_RADIX && i !== raderAt && !(first && i === 0)))
    throw new RangeError(`The mixed-radix FFT cannot do size ${n}`)
  // The first stage by Rader's plan (raderFirstSupports), made before this plan's fields.
  const firstRader = first ? createRaderPlan(mod, first).pointer : 0
  if (!factors || n < 8) throw new RangeError(`The mixed-radix FFT cannot do size ${n}`)
  const floats = (values: number[]): number => {
    const at = mod.alloc(Math.max(values.length, 4))
    mod.heap().set(values, at)
    return at << 2
  }
  // Stockham's twiddle at stage i (radix p over the current length p·m): w^{qk}, w = e^{−2πi/(p·m)}.
  const twiddle = (i: number, q: number, k: number): number => {
    const current = factors.slice(i).reduce((a, b) => a * b, 1)
    return (2 * Math.PI * ((q * k) % current)) / current
  }
  const stages = factors.map((p, i) => {
    const m = factors.slice(i + 1).reduce((a, b) => a * b, 1)
    const byRader = first !== undefined && i === 0
    // Twiddles per q, k = 1 … p−1; none (a null pointer) where all are 1.
    const angles: number[] = []
    let trivial = true
    for (let q = 0; q < (byRader ? 0 : m); q++) {
      for (let k = 1; k < p; k++) {
        const angle = twiddle(i, q, k)
        angles.push(angle)
        if (angle !== 0) trivial = false
      }
    }
    const tw: number[] = []
    if (!trivial && !byRader) for (const angle of angles) tw.push(Math.cos(angle), -Math.sin(angle))
    const rc: number[] = []
    const half = (p - 1) / 2
    // (cos, sin)(2πrk/p): the odd radices' butterflies, and an odd n's first stage (fft.c).
    if (p % 2 === 1 && !byRader && i !== raderAt) {
      for (let k = 1; k <= half; k++) {
        for (let r = 1; r <= half; r++) {
          const angle = (2 * Math.PI * ((r * k) % p)) / p
          rc.push(Math.cos(angle), Math.sin(angle))
        }
      }
    }
    // The first stage of a single transform: w^{qk} laid out [k][q], re then im per row.
    const twt: number[] = []
    if (byRader || (single && i === 0 && (m >= 4 || (raderAt === 0 && m >= 2)) && !trivial)) {
      for (let k = 1; k < (byRader ? half + 1 : p); k++) {
        const row = Array.from({ length: m }, (_, q) => twiddle(i, q, k))
        twt.push(...row.map(Math.cos), ...row.map((angle) => -Math.sin(angle)))
      }
    }
    return {
      p,
      tw: tw.length ? floats(tw) : 0,
      rc: rc.length ? floats(rc) : 0,
      // (+4: rader_stage_first reads four lanes where m < 4)
      twt: twt.length ? floats([...twt, 0, 0, 0, 0]) : 0,
    }
  })
  const realtw: number[] = []
  for (let k = 0; k <= h; k++) {
    const angle = (2 * Math.PI * k) / n
    realtw.push(Math.cos(angle), Math.sin(angle))
  }
  const lanetw: number[] = []
  if (lanes === 4) {
    for (let k = 0; k < len; k++) {
      for (let l = 0; l < 4; l++) lanetw.push(Math.cos((2 * Math.PI * ((l * k) % h)) / h))
      for (let l = 0; l < 4; l++) lanetw.push(-Math.sin((2 * Math.PI * ((l * k) % h)) / h))
    }
  }
  const raderStage = raderAt >= 0 ? createRaderStage(mod, factors[raderAt]) : 0
  const realtwAt = floats(realtw)
  const lanetwAt = lanetw.length ? floats(lanetw) : 0
  // Odd n: a fifth buffer for fx_irfft's real sequence (fft.c, odd_real_stages).
  const work = mod.alloc((n % 2 === 1 ? 5 : 4) * h) << 2
  const pointer = mod.exports.fx_alloc(PLAN_BYTES)
  if (pointer === 0) throw new RangeError(`The FFT's memory cannot hold a plan of size ${n}`)
  const fields = new Int32Array(mod.exports.memory.buffer, pointer, PLAN_BYTES / 4)
  fields.set([n, h, lanes, len, factors.length, realtwAt, lanetwAt, work])
  stages.forEach((stage, i) => fields.set([stage.p, stage.tw, stage.rc, stage.twt], 8 + 4 * i))
  fields[8 + 4 * MAX_STAGES] = firstRader
  fields[9 + 4 * MAX_STAGES] = raderStage
  fields[10 + 4 * MAX_STAGES] = raderAt
  const plan = { size: n, bins: Math.floor(n / 2) + 1, pointer, raderStage: factors[raderAt] ?? 0 }
  mod.plans.set(key, plan)
  return plan
}

/**
 * Rader's algorithm takes the odd primes above 31 and twice the primes above 61 whose p − 1 the
 * stages do on f32x4 with primes up to 61. Measured (bench/fft-scan.ts): it beats a radix-p stage for
 * every odd prime from 37 (61: 1.8× the nearest smooth size against 3.9×), at 2p only from
 * about 61; it runs at about 2.5–3× (4801, 9602), under Bluestein's 3.3–8× (createBluesteinPlan),
 * but over a p − 1 with a larger prime it did not (1031 over 2·5·103: 8.7× against 6.9×; 566
 * over 2·3·47: 8.9× against 3.5×), nor Rader again for p − 1 = 2·prime (12–23×). Where the
 * largest prime of p − 1 takes a Rader stage (raderStageSupports) on four lanes or over m ≥ 8,
 * it does (same run against Bluestein: 1049 over 8·131 4.8× → 3.6×, 4111 over 2·3·5·137 4.7× →
 * 3.8×, 1553 over 2⁴·97 4.4× → 2.8×; 1031 over 2·5·103, m = 5, was slower: 4.8× → 5.3×).
 */
export function raderSupports(n: number): boolean {
  if (!Number.isInteger(n) || n < 8) return false
  const p = n % 2 === 0 ? n / 2 : n
  if (p <= (n % 2 === 0 ? MAX_RADIX_ALONE : 31) || p % 2 === 0 || !isPrime(p)) return false
  return raderInnerCheap(p) || (n % 2 === 1 && RADER_PADDED)
}

/** Whether p − 1's real FFT runs fast enough for Rader's convolution as it is (raderSupports). */
function raderInnerCheap(p: number): boolean {
  // p − 1's stages all on f32x4 with primes up to 61 (1033 over 2³·3·43: 4.2×).
  const half = (p - 1) / 2
  const inner = radices(half)
  return (
    mixedRadixSupports(p - 1) &&
    inner !== null &&
    inner.every(
      (q) =>
        q <= 31 ||
        (q <= MAX_RADIX_ALONE && (half % 4 === 0 || half / q >= 4)) ||
        (RADER_INNER &&
          raderStageSupports(q) &&
          q === Math.max(...inner) &&
          (half % 4 === 0 || half / q >= 8)),
    )
  )
}

/**
 * Odd sizes P·M with a prime P above 61 that Rader's plan takes and M of primes up to 31: the
 * first stage as M real P-point DFTs by Rader (fft.c, odd_real_first_rader), the rest as stages.
 * The seam takes it after the stages (for P up to 160 a radix-P stage is faster: 19·79 1.8×
 * against 4.9×) and before Bluestein (same run: 3²·463 4.8× → 3.5×, 3·1381 5.1× → 3.4×, 3²·457
 * 4.9× → 3.6×, 3·7·199 5.0× → 4.1×). Not for Griffin-Lim's four-frame transforms.
 */
export function raderFirstSupports(n: number): boolean {
  if (!Number.isInteger(n) || n < 8 || n % 2 === 0 || isPrime(n)) return false
  const P = largestPrime(n)
  const rest = radices(n / P)
  return (
    P > MAX_RADIX_ALONE &&
    rest !== null &&
    rest.every((q) => q <= 31 || raderStageSupports(q)) &&
    raderSupports(P)
  )
}

/** Its P: the largest prime factor of n. */
export function largestPrime(n: number): number {
  let P = 1
  for (let d = 2, rest = n; rest > 1; d++) {
    if (d * d > rest) return Math.max(P, rest)
    while (rest % d === 0) {
      P = d
      rest /= d
    }
  }
  return P
}

/** (base^exponent) mod m, for m < 2^26 (products stay exact in float64). */
function powMod(base: number, exponent: number, m: number): number {
  let result = 1
  let b = base % m
  for (let e = exponent; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result = (result * b) % m
    b = (b * b) % m
  }
  return result
}

/** The smallest generator of the multiplicative group mod the prime p. */
function primitiveRoot(p: number): number {
  const factors: number[] = []
  let rest = p - 1
  for (let f = 2; f * f <= rest; f++) {
    if (rest % f === 0) factors.push(f)
    while (rest % f === 0) rest /= f
  }
  if (rest > 1) factors.push(rest)
  for (let g = 2; ; g++) if (factors.every((f) => powMod(g, (p - 1) / f, p) !== 1)) return g
}

/** Radices from this up take a four-lane stage by Rader's algorithm (fft.c, rader_stage). */
const RADER_STAGE_MIN = Number(process.env.FFT_RADER_STAGE_MIN ?? 53)

/**
 * Whether a four-lane stage of radix p runs by Rader's algorithm: a prime from 53 whose p − 1
 * has no prime factor above 13 or p/6 (nor above 31). Same run against the radix-p stage (seam,
 * n = 8·p·…): 37–47 1.03–1.17× slower, 53 0.94–1.02×, 59 (58 = 2·29) 1.21× slower, 61 0.91×,
 * 67 0.92×, 71 0.87×, 79 0.83×, 89 0.79×, 97 0.69×, 103 (102 = 2·3·17) 0.74×, 139 0.58×,
 * 197 0.48×, 233 (232 = 8·29) 0.51×, 251 0.40×.
 */
function raderStageSupports(p: number): boolean {
  if (p < RADER_STAGE_MIN || !isPrime(p)) return false
  const inner = radices(p - 1)
  return inner !== null && inner.every((q) => q <= 31 && (q <= 13 || q <= p / 6))
}

/** g^t and g^{−t} mod the prime p for t < count, g its smallest generator (Rader's orders). */
function generatorPowers(p: number, count: number): { up: Int32Array; down: Int32Array } {
  const g = primitiveRoot(p)
  const gInverse = powMod(g, p - 2, p)
  const up = new Int32Array(count)
  const down = new Int32Array(count)
  for (let t = 0, u = 1, d = 1; t < count; t++, u = (u * g) % p, d = (d * gInverse) % p) {
    up[t] = u
    down[t] = d
  }
  return { up, down }
}

/** fft.c's RaderStage for prime p: the inner four-lane plan of length p − 1, the index tables,
 * and the spectrum of b_j = e^{−2πi·g^j/p} by the DFT's definition in float64, 1/(p − 1) folded in. */
function createRaderStage(mod: MixedRadixModule, p: number): number {
  const n1 = p - 1
  const inner = createMixedRadixPlan(mod, 8 * n1).pointer
  const { up: scatter, down: gather } = generatorPowers(p, n1)
  const br = Float64Array.from(scatter, (v) => Math.cos((2 * Math.PI * v) / p))
  const bi = Float64Array.from(scatter, (v) => -Math.sin((2 * Math.PI * v) / p))
  const kernel = new Float64Array(2 * n1)
  for (let k = 0; k < n1; k++) {
    let re = 0
    let im = 0
    for (let j = 0; j < n1; j++) {
      const angle = (2 * Math.PI * ((j * k) % n1)) / n1
      const c = Math.cos(angle)
      const sn = -Math.sin(angle)
      re += br[j] * c - bi[j] * sn
      im += br[j] * sn + bi[j] * c
    }
    kernel[k] = re / n1
    kernel[n1 + k] = im / n1
  }
  const at = (values: ArrayLike<number>, ints: boolean): number => {
    const offset = mod.alloc(Math.max(values.length, 4))
    if (ints) new Int32Array(mod.exports.memory.buffer).set(values, offset)
    else mod.heap().set(values, offset)
    return offset << 2
  }
  const fields = [
    p,
    inner,
    at(gather, true),
    at(scatter, true),
    at(kernel, false),
    mod.alloc(8 * p) << 2,
  ]
  const pointer = mod.exports.fx_alloc(4 * fields.length)
  if (pointer === 0) throw new RangeError(`The FFT's memory cannot hold a radix-${p} stage`)
  new Int32Array(mod.exports.memory.buffer, pointer, fields.length).set(fields)
  return pointer
}

/** Must match fft.c's Rader. */
const RADER_BYTES = 4 * 16 // 15 fields used

/**
 * A plan for real size n = p or 2p, p prime (see raderSupports and fft.c, Rader): for
 * fx_rader_rfft / fx_irfft, with the same layouts and scaling as fx_rfft / fx_irfft.
 */
export function createRaderPlan(mod: MixedRadixModule, n: number): MixedRadixPlan {
  const key = `${n}:rader`
  const known = mod.plans.get(key)
  if (known) return known
  if (!raderSupports(n)) throw new RangeError(`Rader's algorithm cannot do size ${n}`)
  const twice = n % 2 === 0
  const p = twice ? n / 2 : n
  const L = (p - 1) / 2
  // The convolution's length 2H: p − 1, or zero-padded to 2H ≥ 2p − 3 on four lanes (fft.c,
  // rader_pad) where p − 1 has no fast plan.
  const H = raderInnerCheap(p) ? L : fastLength(p - 1)
  const inner = createMixedRadixPlan(mod, 2 * H).pointer
  // t < L: g^{−t} and g^t, and where X_{g^{−t}}, X_{g^t} lie among the bins k ≤ L (or their
  // conjugates, sign −1).
  const { up: power, down: gather } = generatorPowers(p, p - 1)
  const ibin = gather.map((v) => (v <= L ? v : p - v)).subarray(0, L)
  const isign = Float32Array.from(gather.subarray(0, L), (v) => (v <= L ? 1 : -1))
  const bin = power.map((v) => (v <= L ? v : p - v)).subarray(0, L)
  const sign = Float32Array.from(power.subarray(0, L), (v) => (v <= L ? 1 : -1))
  // The kernel (cos − sin)(2π·g^m/p) over m < p − 1 (padded: at m and 2H − (p − 1 − m), so that
  // the first p − 1 outputs of the longer cyclic convolution are the short one's), its spectrum
  // K in float64 (fft.js).
  const kernelInput = new Float64Array(2 * H)
  for (let m = 0; m < p - 1; m++) {
    const angle = (2 * Math.PI * power[m]) / p
    kernelInput[m] = Math.cos(angle) - Math.sin(angle)
    if (H > L && m > 0) kernelInput[2 * H - (p - 1) + m] = kernelInput[m]
  }
  const kernel = new Float64Array(2 * (H + 1))
  jsRealFft(2 * H, null).forwardInterleaved(kernelInput, kernel)
  // rader_convolve's α, β (fft.c): P_k = α_k·Z_k + β_k·conj Z_{H−k}, from Z = DFT_H(a_{2j} +
  // i·a_{2j+1}), is the spectrum of r = a ⊛ kernel packed the same way. With w = e^{−iπk/H},
  // u = Z_k, v = conj Z_{H−k}: a's real spectrum is A_k = E + w·O, A_{k+H} = E − w·O (E = (u +
  // v)/2, O = (u − v)/2i, Numerical Recipes §12.3), r's is R = A·K, and P_k = (R_k + R_{k+H})/2 +
  // i·conj(w)·(R_k − R_{k+H})/2; α is P at (u, v) = (1, 0), β at (0, 1). Scaled by 1/H (the
  // unscaled inverse FFT of H) and ½ (rader_forward's (r_m ± r_{m+L})/2); rounded once.
  const pair = new Float64Array(4 * H)
  for (let k = 0; k < H; k++) {
    const wr = Math.cos((Math.PI * k) / H)
    const wi = -Math.sin((Math.PI * k) / H)
    const k1r = kernel[2 * k]
    const k1i = kernel[2 * k + 1]
    // K_{k+H}: past the half bins, K_{2H−j} = conj K_j
    const k2r = kernel[2 * (H - k)]
    const k2i = k === 0 ? kernel[2 * H + 1] : -kernel[2 * (H - k) + 1]
    const spectrumOf = (u: number, v: number): [number, number] => {
      const er = (u + v) / 2
      const oi = -(u - v) / 2 // O = −i(u − v)/2
      const wor = -wi * oi
      const woi = wr * oi
      const r1r = k1r * (er + wor) - k1i * woi
      const r1i = k1r * woi + k1i * (er + wor)
      const r2r = k2r * (er - wor) + k2i * woi
      const r2i = -k2r * woi + k2i * (er - wor)
      const sr = (r1r + r2r) / 2
      const si = (r1i + r2i) / 2
      const dr = (r1r - r2r) / 2
      const di = (r1i - r2i) / 2
      // + i·conj(w)·d
      return [(sr - (wr * di - wi * dr)) / (2 * H), (si + (wr * dr + wi * di)) / (2 * H)]
    }
    const alpha = spectrumOf(1, 0)
    const beta = spectrumOf(0, 1)
    pair[k] = alpha[0]
    pair[H + k] = alpha[1]
    pair[2 * H + k] = beta[0]
    pair[3 * H + k] = beta[1]
  }
  const floats = (values: ArrayLike<number>): number => {
    const at = mod.alloc(Math.max(values.length, 4))
    mod.heap().set(values, at)
    return at << 2
  }
  const ints = (values: Int32Array): number => {
    const at = mod.alloc(Math.max(values.length, 4))
    new Int32Array(mod.exports.memory.buffer).set(values, at)
    return at << 2
  }
  const tw2: number[] = []
  if (twice) {
    for (let k = 0; k <= p; k++) tw2.push(Math.cos((Math.PI * k) / p), Math.sin((Math.PI * k) / p))
  }
  const fields = [
    p,
    L,
    twice ? 1 : 0,
    inner,
    ints(gather.subarray(0, L)),
    ints(bin),
    floats(sign),
    floats(pair),
    ints(power.subarray(0, L)),
    ints(ibin),
    floats(isign),
    twice ? floats(tw2) : 0,
    mod.alloc(p) << 2,
    mod.alloc(2 * (L + 1)) << 2,
    twice ? mod.alloc(2 * p + 4 * (L + 1)) << 2 : 0,
  ]
  const pointer = mod.exports.fx_alloc(RADER_BYTES)
  if (pointer === 0) throw new RangeError(`The FFT's memory cannot hold a plan of size ${n}`)
  new Int32Array(mod.exports.memory.buffer, pointer, fields.length).set(fields)
  const plan = { size: n, bins: Math.floor(n / 2) + 1, pointer }
  mod.plans.set(key, plan)
  return plan
}

/**
 * The smallest multiple of 4 ≥ need whose prime factors are 2, 3 and 5 (four lanes, no radix
 * 7: with 7s allowed M is a little smaller but the transforms were 0.9–1.07× as fast, e.g. 4133
 * 5.8× → 5.2×, 4103 5.7× → 5.0×, 1047 5.8× → 6.2×; same run).
 */
function fastLength(need: number): number {
  for (let m = Math.ceil(need / 4) * 4; ; m += 4) {
    let rest = m
    for (const p of [2, 3, 5]) while (rest % p === 0) rest /= p
    if (rest === 1) return m
  }
}

/** Must match fft.c's Bluestein. */
const BLUESTEIN_BYTES = 4 * 12 // 12 fields

/**
 * A plan for any real size n ≥ 2 by Bluestein's algorithm over this module's complex FFT (see
 * fft.c, Bluestein): for fx_bluestein_rfft / fx_bluestein_irfft, with the same layouts and
 * scaling as fx_rfft / fx_irfft. Odd n: the n-point DFT of real x, the bins up to n/2; even n:
 * the (n/2)-point complex DFT of x_{2j} + i·x_{2j+1}, all of it.
 */
export function createBluesteinPlan(mod: MixedRadixModule, n: number): MixedRadixPlan {
  const key = `${n}:bluestein`
  const known = mod.plans.get(key)
  if (known) return known
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`Bluestein cannot do size ${n}`)
  const bins = Math.floor(n / 2) + 1
  const half = n % 2 === 0
  const len = half ? n / 2 : n
  const outs = half ? n / 2 : bins
  const M = fastLength(len + outs - 1)
  const fft = createMixedRadixPlan(mod, 2 * M)
  const chirp = new Float64Array(2 * len)
  for (let j = 0; j < len; j++) {
    const angle = (Math.PI * ((j * j) % (2 * len))) / len
    chirp[2 * j] = Math.cos(angle)
    chirp[2 * j + 1] = -Math.sin(angle)
  }
  // conj(c_l) at l for 0 ≤ l < outs and at M − l for 0 < l < len: circular in M, linear for
  // the outputs wanted. Its spectrum in float64 (fft.js), rounded once, 1/M folded in.
  const kernel = new Float64Array(2 * M)
  for (let l = 0; l < len; l++) {
    const at = l === 0 ? [0] : l < outs ? [l, M - l] : [M - l]
    for (const i of at) {
      kernel[2 * i] = chirp[2 * l]
      kernel[2 * i + 1] = -chirp[2 * l + 1]
    }
  }
  createComplex(M, null).forward(kernel)
  const split = new Float32Array(2 * M)
  for (let k = 0; k < M; k++) {
    split[k] = kernel[2 * k] / M
    split[M + k] = kernel[2 * k + 1] / M
  }
  const floats = (values: ArrayLike<number>): number => {
    const at = mod.alloc(Math.max(values.length, 4))
    mod.heap().set(values, at)
    return at << 2
  }
  const realtw: number[] = []
  if (half) {
    for (let k = 0; k <= len; k++) {
      realtw.push(Math.cos((2 * Math.PI * k) / n), Math.sin((2 * Math.PI * k) / n))
    }
  }
  const fields = [
    n,
    bins,
    M,
    fft.pointer,
    floats([...chirp.filter((_, i) => i % 2 === 0), ...chirp.filter((_, i) => i % 2 === 1)]),
    floats(split),
    mod.alloc(4 * M) << 2,
    mod.alloc(n) << 2,
    mod.alloc(2 * bins) << 2,
    half ? 1 : 0,
    half ? floats(realtw) : 0,
    len,
  ]
  const pointer = mod.exports.fx_alloc(BLUESTEIN_BYTES)
  if (pointer === 0) throw new RangeError(`The FFT's memory cannot hold a plan of size ${n}`)
  new Int32Array(mod.exports.memory.buffer, pointer, fields.length).set(fields)
  const plan = { size: n, bins, pointer }
  mod.plans.set(key, plan)
  return plan
}
