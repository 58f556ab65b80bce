/**
 * The default graph (presets/default.json) on a stereo WAV through the real command line,
 * `render()` in this process: reading and hashing the file, every node, the disk cache's
 * writes and the outputs (WAV, PNG) written and synced. One thread (SYNESTHETE_THREADS=0) so
 * the CPU time is the whole work; per-node times come from its --report. Peak memory is
 * measured from a shell with bench/peak-rss.ts (see the README's Speed section).
 */
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

let lastRun: { report: Report; wallMs: number } | undefined

export const defaultGraphBench: BenchCase = {
  name: 'the default graph, 3-min stereo WAV, CLI render (one thread, cache and outputs)',
  repeats: 1,
  warmUp: false, // half a minute of work: the JIT warms up within its first node
  withoutFftJs: 'whole graph',
  goalSeconds: 20, // issue 14, in the CLI (judged here on one thread's CPU: stricter)
  async run() {
    const run = mkdtempSync(join(work, 'run-'))
    const lines: string[] = []
    const threads = process.env.SYNESTHETE_THREADS
    process.env.SYNESTHETE_THREADS = '0'
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
      if (threads === undefined) delete process.env.SYNESTHETE_THREADS
      else process.env.SYNESTHETE_THREADS = threads
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
      'the default graph, 3 min stereo, each node (wall ms on one thread, last run):',
      ...nodes.map((n) => `  ${n.node.padEnd(width)}  ${n.type.padEnd(20)} ${n.ms.toFixed(0)} ms`),
      `  outside the nodes (reading and hashing the file, keys, cache writes, outputs): ${(wallMs - inNodes).toFixed(0)} ms of ${wallMs.toFixed(0)} ms`,
    ]
  },
}
