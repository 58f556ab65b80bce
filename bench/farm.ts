/**
 * Bench: render-farm throughput with 1, 2 and 3 worker processes on this machine, as a ratio
 * to one worker (`npm run bench -- farm`: a small batch; on its own for bigger ones). Needs
 * Debian's redis-server (started here on a free local port, no persistence).
 *
 *   npx tsx bench/farm.ts [--inputs 8] [--seconds 3] [--iterations 32]
 *
 * Each batch is a CPU graph (load → STFT → picture → Griffin-Lim → WAV) over the same inputs;
 * workers run with --no-cache so every run computes. Each worker count first runs one warm-up
 * batch (process start, module loading, the job process BullMQ keeps), then the timed one.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderCommand } from '../src/cli/farm'
import { render } from '../src/cli/render'
import {
  GRAPH_FORMAT,
  GRAPH_VERSION,
  type GraphDocument,
  type GraphNode,
} from '../src/engine/document'
import { encodeWav } from '../src/media/wav-encode'
import { hasRedisServer, lineFrom, startRedis } from '../tests/helpers/redis'
import type { BenchCase } from './types'

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}

const node = (id: string, type: string, params: GraphNode['params'] = {}) => ({
  id,
  type,
  params,
  position: { x: 0, y: 0 },
  mode: 'normal' as const,
})
const edge = (from: string, fromPort: string, to: string, toPort: string) => ({
  from: { node: from, port: fromPort },
  to: { node: to, port: toPort },
})

function graph(iterations: number): GraphDocument {
  return {
    format: GRAPH_FORMAT,
    version: GRAPH_VERSION,
    nodes: [
      node('load', 'audio/load'),
      node('stft', 'dsp/stft'),
      node('picture', 'dsp/normalize'),
      node('gl', 'dsp/griffin-lim', { iterations }),
      node('out', 'audio/output', { name: 'heard' }),
    ],
    edges: [
      edge('load', 'audio', 'stft', 'audio'),
      edge('stft', 'spectrogram', 'picture', 'spectrogram'),
      edge('picture', 'image', 'gl', 'image'),
      edge('gl', 'audio', 'out', 'audio'),
    ],
  }
}

const quiet = { out: () => undefined, err: () => undefined }

export const hasRedis = hasRedisServer

export interface FarmFigures {
  inputs: number
  seconds: number
  /** Wall seconds of the timed batch with 1, 2 and 3 workers. */
  times: number[]
}

/** Starts Redis, then for 1, 2 and 3 workers runs a warm-up batch and a timed one. */
export async function measureFarm(inputs = 8, seconds = 3, iterations = 32): Promise<FarmFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'synesthete-farm-bench-'))
  mkdirSync(join(dir, 'in'))
  const rate = 22050
  for (let i = 0; i < inputs; i++) {
    const samples = Float32Array.from(
      { length: seconds * rate },
      (_, t) => 0.4 * Math.sin((2 * Math.PI * (200 + 37 * i) * t) / rate),
    )
    writeFileSync(
      join(dir, 'in', `take-${i}.wav`),
      encodeWav({ sampleRate: rate, channels: [samples] }, 'pcm16'),
    )
  }
  const graphFile = join(dir, 'graph.json')
  writeFileSync(graphFile, JSON.stringify(graph(iterations)))
  const redis = await startRedis(dir)
  const { url } = redis
  const submit = async (out: string) => {
    const code = await render(
      [graphFile, '--each', `load=${join(dir, 'in')}/*.wav`, '--out', out, '--queue', url],
      quiet,
    )
    if (code !== 0) throw new Error(`the batch failed (exit ${code})`)
  }
  const times: number[] = []
  try {
    for (const count of [1, 2, 3]) {
      const workers = Array.from({ length: count }, () => {
        const { command, args } = renderCommand(['--worker', '--queue', url, '--no-cache'])
        return spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] })
      })
      await Promise.all(workers.map((w) => lineFrom(w, (l) => l.startsWith('worker '))))
      await submit(join(dir, `warm-${count}`))
      const started = performance.now()
      await submit(join(dir, `timed-${count}`))
      times.push((performance.now() - started) / 1000)
      for (const w of workers) w.kill('SIGTERM')
      await Promise.all(workers.map((w) => new Promise((r) => w.once('exit', r))))
    }
  } finally {
    await redis.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  return { inputs, seconds, times }
}

/** '1.00 / 0.90 / 0.79' */
const ratios = (f: FarmFigures) => f.times.map((t) => (f.times[0] / t).toFixed(2)).join(' / ')

let figures: Promise<FarmFigures> | undefined
let measured: FarmFigures | undefined

/**
 * For bench/run.ts: the whole measurement runs once (a small batch: 6 runs of 2 s); the
 * harness's timing of it means little, the reference column holds the throughput ratios.
 */
export const farmBench: BenchCase = {
  name: 'render farm: throughput of 1 / 2 / 3 worker processes (6 runs, Redis on this machine)',
  repeats: 1,
  async run(): Promise<void> {
    if (!hasRedis()) return
    figures ??= measureFarm(6, 2, 16).then((f) => (measured = f))
    await figures
  },
  get reference() {
    if (!hasRedis()) return { seconds: 0, label: 'redis-server not installed: not measured' }
    return measured
      ? { seconds: measured.times[0], label: `1 worker; throughput ×${ratios(measured)}` }
      : undefined
  },
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!hasRedis()) {
    console.log('bench/farm.ts: redis-server is not installed (apt-get install redis-server).')
    process.exit(0)
  }
  const f = await measureFarm(arg('inputs', 8), arg('seconds', 3), arg('iterations', 32))
  console.log(
    `Render farm: ${f.inputs} runs of ${f.seconds} s each, ${availableParallelism()} cores, one machine\n`,
  )
  f.times.forEach((t, i) =>
    console.log(
      `${i + 1} worker${i ? 's' : ' '}  ${t.toFixed(1)} s  throughput ${(f.times[0] / t).toFixed(2)}× one worker`,
    ),
  )
}
