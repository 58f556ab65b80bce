import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { invocationDir, parseRenderArgs, type RenderArgs } from './args'
import { parseEach, planEach, type PlannedRun } from './farm-plan'
import { countFrames } from './frames-render'
import { registry } from '../../nodes'
import type { Io } from './render'

/**
 * The render farm's command line, beside `npm run render`'s own:
 *
 *   GRAPH --each NODE=GLOB --out DIR               one run per file, here, on every core
 *   GRAPH --each NODE=GLOB --out DIR --queue URL   the runs as BullMQ jobs on Redis; waits
 *         [--detach] [--status]                    (or returns at once / shows the batch)
 *   --worker --queue URL [--concurrency N]         runs jobs (N processes) [--cache DIR]
 *   [--split N]                                    frames per job when a video is split
 *
 * Runs are whole command lines with absolute paths: inputs and outputs travel as paths on
 * storage every machine mounts; Redis carries only the job's command line.
 */

export type RenderFn = (argv: string[], io: Io) => Promise<number>

export interface FarmArgs {
  each?: string
  queue?: string
  detach: boolean
  status: boolean
  worker: boolean
  concurrency?: number
  /** Seconds a worker may go silent before its job is given to another (BullMQ's lock). */
  stallSeconds: number
  /** Frames per range job when a run's frame sequence is split across workers. */
  split: number
  /** The rest: `npm run render`'s own arguments. */
  rest: string[]
}

/** Frames per range job: 10 s of video at 24 fps; enough jobs for many workers on a song. */
export const DEFAULT_SPLIT = 240

const VALUED = new Set(['--each', '--queue', '--concurrency', '--stall-seconds', '--split'])
const FLAGS = new Set(['--detach', '--status', '--worker'])

/** Whether the command line asks for the farm (`--each`, `--worker`, `--queue`). */
export function isFarmCommand(argv: string[]): boolean {
  return argv.some((a) => ['--each', '--worker', '--queue'].includes(a.split('=')[0]))
}

export function parseFarmArgs(argv: string[]): FarmArgs {
  const found: Record<string, string> = {}
  const rest: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') ? splitInline(argv[i]) : [argv[i], undefined]
    if (VALUED.has(flag)) {
      const value = inline ?? argv[++i]
      if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value.`)
      if (found[flag] !== undefined) throw new Error(`Give ${flag} once.`)
      found[flag] = value
    } else if (FLAGS.has(flag)) found[flag] = 'yes'
    else rest.push(argv[i])
  }
  const count = (flag: string, fallback?: number) => {
    const text = found[flag]
    if (text === undefined) return fallback
    const n = Number(text)
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`${flag} takes a whole number ≥ 1, not "${text}".`)
    return n
  }
  const args: FarmArgs = {
    each: found['--each'],
    queue: found['--queue'],
    detach: '--detach' in found,
    status: '--status' in found,
    worker: '--worker' in found,
    concurrency: count('--concurrency'),
    stallSeconds: count('--stall-seconds', 30) ?? 30,
    split: count('--split', DEFAULT_SPLIT) ?? DEFAULT_SPLIT,
    rest,
  }
  if (args.queue && !/^rediss?:\/\//.test(args.queue))
    throw new Error(
      `--queue takes a Redis URL such as redis://127.0.0.1:6379, not "${args.queue}".`,
    )
  if (args.worker && !args.queue) throw new Error('--worker needs --queue redis://HOST:PORT.')
  if (args.worker && args.each)
    throw new Error('A worker takes its runs from the queue: drop --each.')
  if (!args.worker && !args.each)
    throw new Error('--queue needs --each NODE=GLOB (the runs to submit), or --worker.')
  if ((args.detach || args.status) && !args.queue)
    throw new Error('--detach and --status work on a queue: add --queue redis://HOST:PORT.')
  return args
}

function splitInline(arg: string): [string, string | undefined] {
  const at = arg.indexOf('=')
  return at < 0 ? [arg, undefined] : [arg.slice(0, at), arg.slice(at + 1)]
}

/** Runs the farm command; exit codes as `npm run render`'s (0 all ran, 1 a run failed, 2 unusable). */
export async function farm(argv: string[], io: Io, render: RenderFn): Promise<number> {
  let args: FarmArgs
  try {
    args = parseFarmArgs(argv)
  } catch (error) {
    io.err((error as Error).message)
    return 2
  }
  try {
    if (args.worker) {
      const { runWorkers } = await import('./farm-queue')
      return await runWorkers(args, io)
    }
    const renderArgs = parseRenderArgs(args.rest)
    const runs = await planEach(renderArgs, parseEach(args.each ?? ''), invocationDir())
    if (args.queue) {
      // A long frame sequence is split by frame range: its length is read first.
      if (!args.status)
        for (const run of runs) {
          const total = await countFrames(parseRenderArgs(run.argv), registry)
          if (total !== undefined) run.frames = total
        }
      const { submitRuns } = await import('./farm-queue')
      return await submitRuns(args, runs, io)
    }
    return await runLocally(
      runs,
      args.concurrency ?? availableParallelism(),
      renderArgs,
      io,
      render,
    )
  } catch (error) {
    io.err((error as Error).message)
    return 2
  }
}

/** The cache flags a runner adds to a run's command line (runs carry none of their own). */
export function cacheFlags(args: Pick<RenderArgs, 'cache' | 'noCache'>): string[] {
  if (args.noCache) return ['--no-cache']
  return args.cache ? ['--cache', args.cache] : []
}

/**
 * Runs every planned run here: in this process one after another with `--concurrency 1`, else in
 * that many child processes at once (JavaScript DSP is single-threaded: processes use the cores).
 */
async function runLocally(
  runs: PlannedRun[],
  concurrency: number,
  args: RenderArgs,
  io: Io,
  render: RenderFn,
): Promise<number> {
  const extra = [...cacheFlags(args), ...(args.quiet ? ['--quiet'] : [])]
  const failed: string[] = []
  const runOne = async (run: PlannedRun) => {
    const lines: string[] = []
    const capture: Io = { out: (l) => lines.push(l), err: (l) => lines.push(l) }
    const code =
      concurrency === 1
        ? await render([...run.argv, ...extra], capture)
        : await renderInChild([...run.argv, ...extra], capture)
    if (code === 0) io.out(`✓ ${run.stem} → ${run.out}`)
    else {
      failed.push(run.stem)
      const why = lines.filter((l) => !l.startsWith('… ')).slice(-6)
      io.err(`✗ ${run.stem} (${run.input}):\n  ${why.join('\n  ')}`)
    }
  }
  let next = 0
  const lane = async () => {
    while (next < runs.length) await runOne(runs[next++])
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, runs.length) }, lane))
  io.out(
    `${runs.length - failed.length} of ${runs.length} runs done${failed.length ? `; failed: ${failed.join(', ')}` : ''}`,
  )
  return failed.length ? 1 : 0
}

const RENDER_SCRIPT = fileURLToPath(new URL('./render.ts', import.meta.url))

/**
 * `node --import tsx render.ts ARGS`: the CLI in a process of its own (how runs and workers use
 * cores). One process, not tsx's command (which runs the script in a second, child process), so
 * that signals reach the process doing the work.
 */
export function renderCommand(argv: string[]): { command: string; args: string[] } {
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
  return { command: process.execPath, args: ['--import', loader, RENDER_SCRIPT, ...argv] }
}

function renderInChild(argv: string[], io: Io): Promise<number> {
  const { command, args } = renderCommand(argv)
  return new Promise((done) => {
    // One run per core already uses every core: each run gets one worker thread (unless the
    // person chose a count), so --each does not start cores × cores threads.
    const env = { ...process.env, SYNESTHETE_THREADS: process.env.SYNESTHETE_THREADS ?? '1' }
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env })
    const lines = (sink: (l: string) => void) => {
      let buffer = ''
      return (chunk: Buffer) => {
        buffer += chunk.toString()
        const parts = buffer.split('\n')
        buffer = parts.pop() ?? ''
        parts.forEach(sink)
      }
    }
    child.stdout.on(
      'data',
      lines((l) => io.out(l)),
    )
    child.stderr.on(
      'data',
      lines((l) => io.err(l)),
    )
    child.on('error', (error) => {
      io.err(error.message)
      done(2)
    })
    child.on('close', (code) => done(code ?? 2))
  })
}
