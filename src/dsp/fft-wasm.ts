/**
 * The mixed-radix WASM SIMD backend (src/dsp/wasm/fft.c, built by src/dsp/wasm/build.sh into
 * fft-wasm-binary.ts): real transforms of any size whose complex length (N/2 for even N, N for
 * odd) has no prime factor above 31. Single precision, unscaled both ways:
 * irfft(rfft(x)) = N·x. This file lays out the plans (factors, twiddles in float64 rounded
 * once, buffers) in the module's memory; the C code only reads them.
 */
import { fftWasmBase64 } from './fft-wasm-binary'

interface Exports {
  memory: WebAssembly.Memory
  fx_alloc: (bytes: number) => number
  fx_free: (pointer: number) => void
  fx_rfft: (plan: number, input: number, spectrum: number) => void
  fx_irfft: (plan: number, spectrum: number, output: number) => void
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
}

/** Must match fft.c. */
const MAX_STAGES = 32
const MAX_RADIX = 31
const PLAN_BYTES = 32 + 16 * MAX_STAGES

export interface MixedRadixModule {
  readonly exports: Exports
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

/** Instantiates the module; rejects where WebAssembly SIMD is missing. */
export async function loadMixedRadix(): Promise<MixedRadixModule> {
  const module = await WebAssembly.compile(decode(fftWasmBase64))
  const instance = await WebAssembly.instantiate(module)
  const exports = instance.exports as unknown as Exports
  let view = new Float32Array(exports.memory.buffer)
  const heap = (): Float32Array => {
    if (view.buffer !== exports.memory.buffer) view = new Float32Array(exports.memory.buffer)
    return view
  }
  return {
    exports,
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

/** The radices for a complex length: 4s first, then 2, 3, 5, 7 and odd primes ≤ 31; null if
 * a larger prime divides it (Bluestein's sizes). */
export function radices(length: number): number[] | null {
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
  return rest === 1 && out.length <= MAX_STAGES ? out : null
}

/** Whether this backend does real size n (n ≥ 8, every prime factor of its complex length ≤ 31). */
export const mixedRadixSupports = (n: number): boolean =>
  Number.isInteger(n) && n >= 8 && radices(n % 2 === 0 ? n / 2 : n) !== null

export interface MixedRadixPlan {
  readonly size: number
  readonly bins: number
  /** Byte offset of the plan, for fx_rfft / fx_irfft. */
  readonly pointer: number
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
): MixedRadixPlan {
  const key = `${n}:${layout}`
  const known = mod.plans.get(key)
  if (known) return known
  const h = n % 2 === 0 ? n / 2 : n
  const lanes = h % 4 === 0 && layout === 'lanes' ? 4 : 1
  const len = h / lanes
  // A single transform on f32x4 without lanes (fft.c, stages_single) wants its first radix
  // large: the stages after it then have stride ≥ 4.
  const single = lanes === 1 && layout === 'lanes'
  const factors = single ? radices(len)?.sort((a, b) => b - a) : radices(len)
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
    // Twiddles per q, k = 1 … p−1; none (a null pointer) where all are 1.
    const angles: number[] = []
    let trivial = true
    for (let q = 0; q < m; q++) {
      for (let k = 1; k < p; k++) {
        const angle = twiddle(i, q, k)
        angles.push(angle)
        if (angle !== 0) trivial = false
      }
    }
    const tw: number[] = []
    if (!trivial) for (const angle of angles) tw.push(Math.cos(angle), -Math.sin(angle))
    const rc: number[] = []
    const half = (p - 1) / 2
    // (cos, sin)(2πrk/p): the odd radices' butterflies, and an odd n's first stage (fft.c).
    if (p % 2 === 1) {
      for (let k = 1; k <= half; k++) {
        for (let r = 1; r <= half; r++) {
          const angle = (2 * Math.PI * ((r * k) % p)) / p
          rc.push(Math.cos(angle), Math.sin(angle))
        }
      }
    }
    // The first stage of a single transform: w^{qk} laid out [k][q], re then im per row.
    const twt: number[] = []
    if (single && i === 0 && m >= 4 && !trivial) {
      for (let k = 1; k < p; k++) {
        const row = Array.from({ length: m }, (_, q) => twiddle(i, q, k))
        twt.push(...row.map(Math.cos), ...row.map((angle) => -Math.sin(angle)))
      }
    }
    return {
      p,
      tw: tw.length ? floats(tw) : 0,
      rc: rc.length ? floats(rc) : 0,
      twt: twt.length ? floats(twt) : 0,
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
  const realtwAt = floats(realtw)
  const lanetwAt = lanetw.length ? floats(lanetw) : 0
  // Odd n: a fifth buffer for fx_irfft's real sequence (fft.c, odd_real_stages).
  const work = mod.alloc((n % 2 === 1 ? 5 : 4) * h) << 2
  const pointer = mod.exports.fx_alloc(PLAN_BYTES)
  if (pointer === 0) throw new RangeError(`The FFT's memory cannot hold a plan of size ${n}`)
  const fields = new Int32Array(mod.exports.memory.buffer, pointer, PLAN_BYTES / 4)
  fields.set([n, h, lanes, len, factors.length, realtwAt, lanetwAt, work])
  stages.forEach((stage, i) => fields.set([stage.p, stage.tw, stage.rc, stage.twt], 8 + 4 * i))
  const plan = { size: n, bins: Math.floor(n / 2) + 1, pointer }
  mod.plans.set(key, plan)
  return plan
}
