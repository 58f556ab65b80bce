/**
 * `npx tsx bench/fft-scan.ts [--quick] [--sizes 1029,4095,…] [--top 15]`: times real forward +
 * inverse FFTs through the FFT seam at many sizes, each beside its nearest 2·3·5-smooth size in
 * the same run (interleaved, best of repeats), and prints the worst ratios per class of size
 * (issue 14's goal: any size ≤ 2× its nearest smooth size). Too long for `npm run bench`
 * (minutes); bench/fft-sizes.ts carries the worst cases found here.
 *
 * Sizes: every size in 500–620, 1000–1100, 2000–2100, 4000–4200; every 7th in 17000–18000;
 * powers of the primes 7 … 31 (and twice them) up to 40,000; primes near 512 … 8192 (and twice
 * them). Sizes that are 2·3·5-smooth themselves are left out (their ratio is 1 by definition).
 */
import { cpus, loadavg } from 'node:os'
import { createRealFft } from '../src/dsp/fft'
import { initFastFft } from '../src/dsp/fft'
import { largestPrime } from '../src/dsp/fft-wasm'
import { mulberry32 } from '../src/engine/random'
import { nearestSmooth } from './fft-sizes'

const args = process.argv.slice(2)
const option = (name: string): string | undefined => {
  const at = args.indexOf(name)
  return at >= 0 ? args[at + 1] : undefined
}
const quick = args.includes('--quick')
const top = Number(option('--top') ?? 12)

const isPrime = (n: number): boolean => n > 1 && largestPrime(n) === n

function factorText(n: number): string {
  const parts: string[] = []
  for (let p = 2; n > 1; p++) {
    let e = 0
    while (n % p === 0) {
      e++
      n /= p
    }
    if (e) parts.push(e > 1 ? `${p}^${e}` : `${p}`)
    if (p * p > n && n > 1) {
      parts.push(`${n}`)
      break
    }
  }
  return parts.join('·')
}

function defaultSizes(): number[] {
  const sizes = new Set<number>()
  const range = (a: number, b: number, step = 1) => {
    for (let n = a; n <= b; n += step) sizes.add(n)
  }
  if (quick) {
    range(500, 620, 3)
    range(1000, 1100, 3)
    range(4000, 4200, 7)
  } else {
    range(500, 620)
    range(1000, 1100)
    range(2000, 2100)
    range(4000, 4200)
    range(17000, 18000, 7)
  }
  for (const p of [7, 11, 13, 17, 19, 23, 29, 31]) {
    for (let n = p * p; n <= 40000; n *= p) {
      sizes.add(n)
      if (2 * n <= 40000) sizes.add(2 * n)
      if (3 * n <= 40000) sizes.add(3 * n)
    }
  }
  for (const target of [512, 1024, 2048, 4096, 8192]) {
    let found = 0
    for (let n = target + 1; found < (quick ? 1 : 3); n++) {
      if (isPrime(n)) {
        sizes.add(n)
        sizes.add(2 * n)
        found++
      }
    }
  }
  return [...sizes].filter((n) => n !== nearestSmooth(n)).sort((a, b) => a - b)
}

const listed = option('--sizes')
const sizes = listed ? listed.split(',').map(Number) : defaultSizes()

function className(n: number): string {
  const h = n % 2 === 0 ? n / 2 : n
  const p = largestPrime(n)
  if (p <= 31) return 'prime factors ≤ 31'
  if (isPrime(n) || (n % 2 === 0 && isPrime(h))) return 'prime (or 2·prime) > 31'
  return 'composite, a prime factor > 31'
}

await initFastFft()

/** A closure running `count` forward + inverse transforms of size n. */
function transforms(n: number): (count: number) => void {
  const fft = createRealFft(n)
  const random = mulberry32(n)
  const x = Float32Array.from({ length: n }, () => random() - 0.5)
  const spectrum = new Float32Array(2 * fft.bins)
  return (count) => {
    for (let i = 0; i < count; i++) {
      fft.forwardInterleaved(x, spectrum)
      fft.inverseInterleaved(spectrum, x)
    }
  }
}

const cpu = (): number => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1e6
}
function timeOnce(run: (count: number) => void, count: number): number {
  const start = cpu()
  run(count)
  return cpu() - start
}

interface Row {
  n: number
  smooth: number
  ratio: number
  ours: number
  backend: string
}
const rows: Row[] = []
const repeats = quick ? 3 : 5
console.log(
  `FFT size scan — ${sizes.length} sizes, Node ${process.version}, ${cpus()[0]?.model ?? ''}, ` +
    `load ${loadavg()[0].toFixed(2)}`,
)
// Warm the JIT on the seam's JS wrappers first, so the first sizes are not judged on it.
for (const n of [1000, 1024, 1031, 1029]) {
  const run = transforms(n)
  const start = cpu()
  while (cpu() - start < 0.1) run(10)
}
for (const n of sizes) {
  const smooth = nearestSmooth(n)
  const a = transforms(n)
  const b = transforms(smooth)
  // About 4 ms of the smooth size per timing: enough to dwarf the clock's resolution (1 µs).
  // Warm both first: V8 compiles WASM functions lazily and tiers them up after enough calls,
  // so a path first used here (Rader's first stage, say) would otherwise be timed unoptimised.
  for (const run of [a, b]) {
    const start = cpu()
    while (cpu() - start < 0.02) run(4)
  }
  let count = 1
  while (timeOnce(b, count) < 0.004) count *= 2
  let bestA = Infinity
  let bestB = Infinity
  for (let r = 0; r < repeats; r++) {
    bestA = Math.min(bestA, timeOnce(a, count))
    bestB = Math.min(bestB, timeOnce(b, count))
  }
  rows.push({
    n,
    smooth,
    ratio: bestA / bestB,
    ours: (bestA / count) * 1e6,
    backend: createRealFft(n).backend,
  })
}

const classes = new Map<string, Row[]>()
for (const row of rows) {
  const name = className(row.n)
  classes.set(name, [...(classes.get(name) ?? []), row])
}
const fmt = (row: Row): string =>
  `  ${String(row.n).padStart(6)} = ${factorText(row.n).padEnd(16)} ${row.ratio.toFixed(2)}×` +
  `  vs ${String(row.smooth).padStart(6)}  (${row.ours.toFixed(1)} µs both ways, ${row.backend})`
for (const [name, list] of classes) {
  list.sort((x, y) => y.ratio - x.ratio)
  const over = list.filter((row) => row.ratio > 2).length
  const median = list[Math.floor(list.length / 2)].ratio
  console.log(
    `\n${name}: ${list.length} sizes, worst ${list[0].ratio.toFixed(2)}×, median ` +
      `${median.toFixed(2)}×, ${over} over 2×`,
  )
  for (const row of list.slice(0, top)) console.log(fmt(row))
}
console.log(`\nload ${loadavg()[0].toFixed(2)} at the end`)
