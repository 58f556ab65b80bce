/**
 * The default graph (presets/default.json) on a stereo WAV through the real command line,
 * `render()` in this process: reading and hashing the file, every node, the disk cache's
 * writes and the outputs (WAV, PNG) written and synced. Twice: on one thread
 * (SYNESTHETE_THREADS=0), so the CPU time is the whole work, and as users run it (the CLI's
 * worker threads), judged on the wall clock; per-node times come from its --report. A third
 * case runs the CLI with threads on 10 minutes in a child process and reports its peak RSS.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { render } from '../src/cli/render'
import { encodeWav } from '../src/media/wav'
import { mulberry32 } from '../src/engine/random'
import type { BenchCase } from './types'

const RATE = 44100

/** Stereo: a different sweep and chord on each side, and a little noise; 16-bit, deterministic. */
function stereoWav(seconds: number): Uint8Array {
  const random = mulberry32(3)
  const channels = [0, 1].map((c) => {
    const x = new Float32Array(seconds * RATE)
    for (let i = 0; i < x.length; i++) {
      const t = i / RATE
      x[i] =
        0.3 * Math.sin(2 * Math.PI * ((100 + 50 * c) * t + (10 - 2 * c) * t * t)) +
        0.2 * Math.sin(2 * Math.PI * (440 + 114.37 * c) * t) +
        0.03 * (random() - 0.5)
    }
    return x
  })
  return encodeWav({ sampleRate: RATE, channels }, 'pcm16')
}

const work = mkdtempSync(join(tmpdir(), 'synesthete-bench-'))
process.on('exit', () => rmSync(work, { recursive: true, force: true }))
const wavFiles = new Map<number, string>()
function wavOf(seconds: number): string {
  let path = wavFiles.get(seconds)
  if (!path) {
    path = join(work, `stereo-${seconds}s.wav`)
    writeFileSync(path, stereoWav(seconds))
    wavFiles.set(seconds, path)
  }
  return path
}

interface Report {
  nodes: { node: string; type: string; ms: number; state: string }[]
  totalMs: number
}

/** `render()` of the default graph on 3 minutes, with SYNESTHETE_THREADS as given. */
function defaultGraphCase(threads: '0' | undefined): BenchCase {
  let lastRun: { report: Report; wallMs: number } | undefined
  const oneThread = threads === '0'
  return {
    name: `the default graph, 3-min stereo WAV, CLI render (${oneThread ? 'one thread' : 'threads'}, cache and outputs)`,
    repeats: 1,
    warmUp: false, // half a minute of work: the JIT warms up within its first node
    withoutFftJs: 'whole graph',
    // Issue 14, in the CLI. On one thread judged on its CPU time (stricter than the wall);
    // with threads on the wall clock, as a user waits for it (CPU then adds up the threads).
    goalSeconds: 20,
    judgeOn: oneThread ? 'cpu' : 'wall',
    async run() {
      const run = mkdtempSync(join(work, 'run-'))
      const lines: string[] = []
      const before = process.env.SYNESTHETE_THREADS
      if (threads === undefined) delete process.env.SYNESTHETE_THREADS
      else process.env.SYNESTHETE_THREADS = threads
      const started = performance.now()
      try {
        const code = await render(
          [
            'default',
            '--input',
            `load=${wavOf(180)}`,
            '--out',
            join(run, 'out'),
            '--cache',
            join(run, 'cache'),
            '--report',
            join(run, 'report.json'),
            '--quiet',
          ],
          { out: (l) => lines.push(l), err: (l) => lines.push(l) },
        )
        if (code !== 0) throw new Error(`render failed (${code}):\n${lines.join('\n')}`)
        const report = JSON.parse(readFileSync(join(run, 'report.json'), 'utf8')) as Report
        lastRun = { report, wallMs: performance.now() - started }
      } finally {
        if (before === undefined) delete process.env.SYNESTHETE_THREADS
        else process.env.SYNESTHETE_THREADS = before
        rmSync(run, { recursive: true, force: true })
      }
    },
    notes() {
      if (!lastRun) return []
      const { report, wallMs } = lastRun
      const nodes = [...report.nodes].sort((a, b) => b.ms - a.ms)
      const inNodes = nodes.reduce((sum, n) => sum + n.ms, 0)
      const width = Math.max(...nodes.map((n) => n.node.length))
      return [
        `the default graph, 3 min stereo, ${oneThread ? 'one thread' : 'threads'}, each node (wall ms where it ran, last run):`,
        ...nodes.map(
          (n) => `  ${n.node.padEnd(width)}  ${n.type.padEnd(20)} ${n.ms.toFixed(0)} ms`,
        ),
        oneThread
          ? `  outside the nodes (reading and hashing the file, keys, cache writes, outputs): ${(wallMs - inNodes).toFixed(0)} ms of ${wallMs.toFixed(0)} ms`
          : `  ${wallMs.toFixed(0)} ms wall in all; the nodes' own times add up to ${inNodes.toFixed(0)} ms`,
      ]
    },
  }
}

export const defaultGraphBench = defaultGraphCase('0')
export const defaultGraphThreadsBench = defaultGraphCase(undefined)

const GOAL_BYTES = 4 * 1024 ** 3
const gb = (b: number) => `${(b / 1024 ** 3).toFixed(2)} GB`
let peak: number | undefined

export const defaultGraphMemoryBench: BenchCase = {
  name: 'the default graph, 10-min stereo WAV, CLI peak memory (threads, Griffin-Lim 1 iteration)',
  repeats: 1,
  warmUp: false, // a fresh process each run: nothing to warm
  withoutFftJs: 'memory',
  goal: () =>
    peak === undefined
      ? undefined
      : `peak RSS ${gb(peak)} ≤ ${gb(GOAL_BYTES)} ${peak <= GOAL_BYTES ? 'met' : 'MISSED'}`,
  async run() {
    const run = mkdtempSync(join(work, 'rss-'))
    try {
      // A child process of the CLI as users run it (worker threads on), which reports its own
      // peak resident set at exit. Griffin-Lim's iterations reuse the same buffers, so one
      // iteration reaches the same peak as 64 in a fraction of the time.
      const args = [
        '--import',
        'tsx',
        new URL('./peak-rss.ts', import.meta.url).pathname,
        'default',
        '--input',
        `load=${wavOf(600)}`,
        '--out',
        join(run, 'out'),
        '--no-cache',
        '--quiet',
        ...['listen', 'glRed', 'glGreen'].flatMap((n) => ['--set', `${n}.iterations=1`]),
      ]
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
      let output = ''
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
      const status = await new Promise<number | null>((done) => child.on('close', done))
      const found = /peak RSS (\d+)/.exec(output)
      if (status !== 0 || !found) throw new Error(`render failed (${status}):\n${output}`)
      peak = Number(found[1])
    } finally {
      rmSync(run, { recursive: true, force: true })
    }
  },
  notes() {
    if (peak === undefined) return []
    return [
      `the default graph on 10 min of stereo, CLI with threads: peak RSS ${gb(peak)}, goal ≤ ${gb(GOAL_BYTES)}: ${peak <= GOAL_BYTES ? 'met' : 'MISSED'}`,
    ]
  },
}
