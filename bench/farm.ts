/**
 * Bench: render-farm throughput with 1, 2 and 3 worker processes on this machine, as jobs per
 * second and as a ratio to one worker, beside what the cores allow (min(workers, cores)): the
 * most a CPU-bound farm can gain here. Needs Debian's redis-server (started here on a free local
 * port, no persistence). `npm run bench -- farm` runs small batches; on its own it takes options:
 *
 *   npx tsx bench/farm.ts [--inputs 8] [--seconds 3] [--iterations 32]
 *                         [--video-seconds 40] [--split 96] [--size 256] [--workers 1,2,3]
 *                         [--threads N]   (SYNESTHETE_THREADS for the workers' jobs)
 *
 * Two batches per worker count, timed from submitting to the last job's end (the submitting
 * command plans, queues, waits):
 * - --each: one run per input of a CPU graph (load → STFT → picture → Griffin-Lim → WAV);
 * - a video split by frame range (load → Spectrum Frames → Spectrum Picture → Frames Adjust →
 *   Video Output): one job per range of `split` frames and the join, which zips them all.
 * Workers run with --no-cache so every run computes. Each worker count first runs a warm-up
 * batch of small runs (process start, module loading, the job process BullMQ keeps).
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderCommand } from '../src/cli/farm'
import { render } from '../src/cli/render'
import { encodeWav } from '../src/media/wav-encode'
import { hasRedisServer, lineFrom, startRedis } from '../tests/helpers/redis'
import { graphOf, spectrumVideoGraph } from '../tests/helpers/test-nodes'
import type { BenchCase } from './types'

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}

/** The --each batch's graph: CPU work only, one chain. */
const cpuGraph = (iterations: number) =>
  graphOf(
    [
      { id: 'load', type: 'audio/load' },
      { id: 'stft', type: 'dsp/stft' },
      { id: 'picture', type: 'dsp/normalize' },
      { id: 'gl', type: 'dsp/griffin-lim', params: { iterations } },
      { id: 'out', type: 'audio/output', params: { name: 'heard' } },
    ],
    [
      'load.audio->stft.audio',
      'stft.spectrogram->picture.spectrogram',
      'picture.image->gl.image',
      'gl.audio->out.audio',
    ],
  )

/** The split batch's graph: a video of the sound's spectra, frames drawn and adjusted. */
const videoGraph = (size: number) =>
  spectrumVideoGraph({ fps: 24, bins: 64, fftSize: 1024, width: size, height: size })

const quiet = { out: () => undefined, err: () => undefined }
const RATE = 22050

function writeTone(path: string, seconds: number, hz: number, sweep = 0) {
  // A sweep makes every frame of a video different (nothing is repeated or skipped).
  const samples = Float32Array.from(
    { length: Math.round(seconds * RATE) },
    (_, t) => 0.4 * Math.sin((2 * Math.PI * (hz + (sweep * t) / RATE / 2) * t) / RATE),
  )
  writeFileSync(path, encodeWav({ sampleRate: RATE, channels: [samples] }, 'pcm16'))
}

export const hasRedis = hasRedisServer

export interface FarmOptions {
  /** --each batch: how many runs, of how many seconds of sound, with how many iterations. */
  inputs: number
  seconds: number
  iterations: number
  /** Split batch: the video's length, frames per range job, picture side in pixels. */
  videoSeconds: number
  split: number
  size: number
  workers: number[]
  /** SYNESTHETE_THREADS for the workers (unset: the farm's default, nodes on the job's thread). */
  threads?: number
}

export interface FarmBatch {
  name: string
  /** What one batch is, in words. */
  label: string
  /** Jobs in one batch (runs; or ranges and the join). */
  jobs: number
  /** Wall seconds of the timed batch for each worker count. */
  seconds: number[]
}

export interface FarmFigures {
  cores: number
  threads?: number
  workers: number[]
  batches: FarmBatch[]
}

/** Starts Redis, then for each worker count: workers, a warm-up batch, the timed batches. */
export async function measureFarm(o: FarmOptions): Promise<FarmFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'synesthete-farm-bench-'))
  for (const sub of ['in', 'warm', 'video']) mkdirSync(join(dir, sub))
  for (let i = 0; i < o.inputs; i++)
    writeTone(join(dir, 'in', `take-${i}.wav`), o.seconds, 200 + 37 * i)
  for (let i = 0; i < 2 * Math.max(...o.workers); i++)
    writeTone(join(dir, 'warm', `warm-${i}.wav`), 0.3, 300 + 50 * i)
  writeTone(join(dir, 'video', 'song.wav'), o.videoSeconds, 150, 2000 / o.videoSeconds)
  const cpuFile = join(dir, 'cpu.json')
  writeFileSync(cpuFile, JSON.stringify(cpuGraph(o.iterations)))
  const videoFile = join(dir, 'video.json')
  writeFileSync(videoFile, JSON.stringify(videoGraph(o.size)))
  const frames = Math.ceil(o.videoSeconds * 24)
  const batches: FarmBatch[] = [
    {
      name: '--each',
      label: `${o.inputs} runs of ${o.seconds} s of sound (load → STFT → picture → Griffin-Lim ×${o.iterations} → WAV)`,
      jobs: o.inputs,
      seconds: [],
    },
    {
      name: 'split video',
      label:
        `${o.videoSeconds} s at 24 fps: ${frames} frames of ${o.size}² (Spectrum Frames → Spectrum ` +
        `Picture → Frames Adjust → Video Output), ranges of ${o.split} frames: ` +
        `${Math.ceil(frames / o.split)} range jobs and the join`,
      jobs: Math.ceil(frames / o.split) + 1,
      seconds: [],
    },
  ]
  const redis = await startRedis(dir)
  const { url } = redis
  const submit = async (graph: string, folder: string, out: string, extra: string[] = []) => {
    const argv = [graph, '--each', `load=${join(dir, folder)}/*.wav`, '--out', out]
    const code = await render([...argv, '--queue', url, ...extra], quiet)
    if (code !== 0) throw new Error(`the batch failed (exit ${code})`)
  }
  const timed = async (work: () => Promise<void>) => {
    const started = performance.now()
    await work()
    return (performance.now() - started) / 1000
  }
  try {
    for (const count of o.workers) {
      const workers = Array.from({ length: count }, () => {
        const { command, args } = renderCommand(['--worker', '--queue', url, '--no-cache'])
        const env = { ...process.env }
        if (o.threads === undefined) delete env.SYNESTHETE_THREADS
        else env.SYNESTHETE_THREADS = String(o.threads)
        return spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env })
      })
      await Promise.all(workers.map((w) => lineFrom(w, (l) => l.startsWith('worker '))))
      await submit(cpuFile, 'warm', join(dir, `warm-${count}`))
      const out = (name: string) => join(dir, `${name}-${count}`)
      batches[0].seconds.push(await timed(() => submit(cpuFile, 'in', out('each'))))
      batches[1].seconds.push(
        await timed(() => submit(videoFile, 'video', out('video'), ['--split', String(o.split)])),
      )
      for (const w of workers) w.kill('SIGTERM')
      await Promise.all(workers.map((w) => new Promise((r) => w.once('exit', r))))
      rmSync(out('video'), { recursive: true, force: true })
    }
  } finally {
    await redis.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  return { cores: availableParallelism(), threads: o.threads, workers: o.workers, batches }
}

/** The table of one batch: a row per worker count. */
function batchLines(f: FarmFigures, b: FarmBatch): string[] {
  const lines = [`${b.name}: ${b.label}`, '  workers  seconds  jobs/s  speed-up  cores allow']
  b.seconds.forEach((s, i) => {
    const n = f.workers[i]
    const cells = [
      String(n).padEnd(7),
      s.toFixed(1).padStart(7),
      (b.jobs / s).toFixed(2).padStart(6),
      `${(b.seconds[0] / s).toFixed(2)}×`.padStart(8),
      `${Math.min(n, f.cores)}×`.padStart(11),
    ]
    lines.push(`  ${cells.join('  ')}`)
  })
  return lines
}

export function farmLines(f: FarmFigures): string[] {
  return [
    `Render farm on one machine: ${f.cores} cores, Redis on 127.0.0.1, job threads: ` +
      `${f.threads === undefined ? 'none (the default)' : f.threads}; speed-up is against ` +
      `${f.workers[0]} worker${f.workers[0] === 1 ? '' : 's'} in the same run, "cores allow" is min(workers, cores).`,
    ...f.batches.flatMap((b) => ['', ...batchLines(f, b)]),
  ]
}

let figures: Promise<FarmFigures> | undefined
let measured: FarmFigures | undefined

/**
 * For bench/run.ts: the whole measurement runs once (small batches); the harness's timing of it
 * means little, the reference column holds the throughput ratios and the notes the tables.
 */
export const farmBench: BenchCase = {
  name: 'render farm: throughput of 1 / 2 / 3 worker processes (Redis on this machine)',
  repeats: 1,
  withoutFftJs: 'whole farm',
  async run(): Promise<void> {
    if (!hasRedis()) return
    figures ??= measureFarm({
      inputs: 6,
      seconds: 2,
      iterations: 16,
      videoSeconds: 12,
      split: 48,
      size: 192,
      workers: [1, 2, 3],
    }).then((f) => (measured = f))
    await figures
  },
  get reference() {
    if (!hasRedis()) return { seconds: 0, label: 'redis-server not installed: not measured' }
    if (!measured) return undefined
    const ratios = (b: FarmBatch) => b.seconds.map((s) => (b.seconds[0] / s).toFixed(2)).join(' / ')
    return {
      seconds: measured.batches[0].seconds[0],
      label: `1 worker; ${measured.batches.map((b) => `${b.name} ×${ratios(b)}`).join(', ')}`,
    }
  },
  notes: () => (measured ? farmLines(measured) : []),
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!hasRedis()) {
    console.log('bench/farm.ts: redis-server is not installed (apt-get install redis-server).')
    process.exit(0)
  }
  const workersArg = process.argv.indexOf('--workers')
  const f = await measureFarm({
    inputs: arg('inputs', 8),
    seconds: arg('seconds', 3),
    iterations: arg('iterations', 32),
    videoSeconds: arg('video-seconds', 40),
    split: arg('split', 96),
    size: arg('size', 256),
    workers: workersArg > 0 ? process.argv[workersArg + 1].split(',').map(Number) : [1, 2, 3],
    threads: process.argv.includes('--threads') ? arg('threads', 0) : undefined,
  })
  console.log(farmLines(f).join('\n'))
}
