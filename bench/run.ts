/**
 * `npm run bench [-- FILTER]`: times each case in bench/cases.ts in this process, on one
 * thread, with the FFT seam on PFFFT (WASM SIMD) and, where a case asks, again forced to
 * fft.js; prints the best of its repeats next to the reference figures. The best run is the
 * one with the least CPU time: the work of one core, steadier than the wall clock on a shared
 * machine; its wall time is shown beside it and the goal is judged on CPU time.
 */
import { cpus, loadavg } from 'node:os'
import { fastFftStatus, initFastFft, setDefaultFftBackend } from '../src/dsp/fft'
import { cases } from './cases'
import type { BenchCase } from './types'

interface Timing {
  wall: number
  cpu: number
}

const cpuSeconds = (): number => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1e6
}

async function time(bench: Pick<BenchCase, 'run' | 'repeats' | 'warmUp'>): Promise<Timing> {
  if (bench.warmUp !== false) await bench.run() // warm up the JIT and the caches of plans, windows and sessions
  let best: Timing = { wall: Infinity, cpu: Infinity }
  for (let i = 0; i < (bench.repeats ?? 3); i++) {
    const cpu = cpuSeconds()
    const wall = performance.now()
    await bench.run()
    const t = { wall: (performance.now() - wall) / 1000, cpu: cpuSeconds() - cpu }
    if (t.cpu < best.cpu) best = t
  }
  return best
}

const seconds = (s: number | undefined): string =>
  s === undefined ? '—' : s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`

const filter = process.argv[2]?.toLowerCase()
await initFastFft()
const { ready, failure } = fastFftStatus()
console.log(
  `Synesthete DSP bench — Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ` +
    `FFT: ${ready ? 'PFFFT WASM SIMD' : `fft.js only (${failure ?? 'PFFFT not loaded'})`}\n`,
)
const header = [
  'case',
  'ours (cpu)',
  '(wall)',
  'fft.js (cpu)',
  'ours ÷ fft.js',
  'reference',
  'goal',
]
const rows: string[][] = []
for (const bench of cases.filter((c) => !filter || c.name.toLowerCase().includes(filter))) {
  setDefaultFftBackend('auto')
  const ours = await time(bench)
  let js: Timing | undefined
  if (bench.compareFftJs) {
    setDefaultFftBackend('js')
    js = await time(bench)
    setDefaultFftBackend('auto')
  }
  const baseline = bench.baseline
    ? await time({ run: bench.baseline.run, repeats: bench.repeats })
    : undefined
  const ratio = baseline ? ours.cpu / baseline.cpu : undefined
  const reference =
    baseline && bench.baseline
      ? `${seconds(baseline.cpu)} (${bench.baseline.label}, this run)`
      : bench.reference
        ? `${seconds(bench.reference.seconds)} (${bench.reference.label})`
        : '—'
  const judged = bench.judgeOn === 'wall' ? ours.wall : ours.cpu
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED')
  // A goal in seconds set as a ratio to a recorded reference (0.35 × torchaudio's) is shown as
  // that ratio too, so every ratio stands beside its goal.
  const recorded = bench.reference && !baseline ? bench.reference.seconds : undefined
  const goal =
    bench.goal?.() ??
    (ratio !== undefined && bench.goalRatio !== undefined
      ? `ratio ${ratio.toFixed(2)} ≤ ${bench.goalRatio} ${verdict(ratio <= bench.goalRatio)}`
      : bench.goalSeconds === undefined
        ? '—'
        : recorded !== undefined
          ? `ratio ${(judged / recorded).toFixed(2)} ≤ ${(bench.goalSeconds / recorded).toFixed(2)} (${seconds(bench.goalSeconds)}) ${verdict(judged <= bench.goalSeconds)}`
          : `${seconds(bench.goalSeconds)}${bench.judgeOn === 'wall' ? ' wall' : ''} ${verdict(judged <= bench.goalSeconds)}`)
  rows.push([
    bench.name,
    seconds(ours.cpu),
    seconds(ours.wall),
    js ? seconds(js.cpu) : bench.withoutFftJs ? `n/a: ${bench.withoutFftJs}` : '—',
    js ? (ours.cpu / js.cpu).toFixed(2) : bench.withoutFftJs ? 'n/a' : '—',
    reference,
    goal,
  ])
  console.log(`  done: ${bench.name}`)
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
const line = (cells: string[]): string =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
console.log(`\n${line(header)}\n${widths.map((w) => '─'.repeat(w)).join('  ')}`)
for (const row of rows) console.log(line(row))
for (const bench of cases.filter((c) => !filter || c.name.toLowerCase().includes(filter))) {
  const notes = bench.notes?.() ?? []
  if (notes.length > 0) console.log(`\n${notes.join('\n')}`)
}
// The README's speed table is this block, pasted as it is (then `npx prettier --write README.md`).
const cell = (text: string) => text.replaceAll('|', '\\|')
console.log(
  `\nREADME speed table (${new Date().toISOString().slice(0, 10)}, load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores):\n`,
)
console.log(`| ${header.join(' | ')} |\n| ${header.map(() => '---').join(' | ')} |`)
for (const row of rows) console.log(`| ${row.map(cell).join(' | ')} |`)
console.log(
  '\nBest of the repeats by CPU time, one thread. ours ÷ fft.js < 1: PFFFT is faster. A ' +
    "'recorded' reference was timed once (torch 1.13.1 / torchaudio 0.13.1, one thread, on this " +
    'kind of machine when torch was installed) and is not re-run here: its goal compares our time ' +
    'now with that figure, so load on the machine counts against us. Load ' +
    `average now: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')} on ${cpus().length} cores (figures inflate when others share the machine).`,
)
