import { spawn, type ChildProcess } from 'node:child_process'
import { parseArgs } from 'node:util'
import { FlowProducer, Queue, QueueEvents, Worker, type FlowJob, type Job } from 'bullmq'
import { cacheFlags, renderCommand, type FarmArgs } from './farm'
import type { PlannedRun } from './farm-plan'
import { invocationDir } from './args'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Io } from './render'

/**
 * The farm on BullMQ and Redis: a well-kept job queue (atomic moves in Redis scripts, locks,
 * stalled-job recovery, retries, events) rather than one of our own. A job is one run of
 * farm-plan.ts: its data is the run's command line, its id the run's content hash, so
 * submitting the same batch twice adds nothing.
 */

export const QUEUE_NAME = 'synesthete-render'

/** The worker's flags for every run (its cache folder, --ort), handed to farm-job.ts. */
export const WORKER_FLAGS_ENV = 'SYNESTHETE_FARM_WORKER_FLAGS'

/**
 * The job's processor, which BullMQ runs in a child process it keeps (see farm-job.ts). Not
 * imported here: it imports render.ts, which may be the module still starting this worker.
 */
const JOB_FILE = fileURLToPath(new URL('./farm-job.ts', import.meta.url))

export interface RunJobData {
  argv: string[]
  stem: string
  out: string
}

export interface RunJobResult {
  written: string[]
}

/**
 * Job progress as workers report it: the node running now, how many have finished, and the
 * process running the job (which machine, which process: to find it, or to see it is gone).
 */
export interface RunProgress {
  node: string
  done: number
  host: string
  pid: number
}

function connection(url: string, forWorker: boolean) {
  // Workers keep retrying a lost Redis (it may restart); the submitting command gives up after a
  // few tries and says so. (BullMQ's blocking connections want maxRetriesPerRequest null.)
  return forWorker
    ? { url, maxRetriesPerRequest: null }
    : {
        url,
        maxRetriesPerRequest: null,
        retryStrategy: (times: number) => (times > 5 ? null : 200),
      }
}

async function ready<T extends { waitUntilReady(): Promise<unknown> }>(thing: T, url: string) {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Cannot reach Redis at ${url}. Is redis-server running there?`)),
      10_000,
    )
  })
  try {
    await Promise.race([thing.waitUntilReady(), timeout])
  } finally {
    clearTimeout(timer)
  }
  return thing
}

const JOB_OPTIONS = {
  // Thrown errors (a full disk, a lost mount) are retried; bad input fails at once
  // (UnrecoverableError). A worker that dies mid-job is noticed by its lapsed lock.
  attempts: 3,
  backoff: { type: 'fixed', delay: 1000 },
  removeOnComplete: false,
  removeOnFail: false,
} as const

/** Submits the runs (or shows their state with --status) and, unless --detach, waits for them. */
export async function submitRuns(args: FarmArgs, runs: PlannedRun[], io: Io): Promise<number> {
  const url = args.queue ?? ''
  const queue = await ready(
    new Queue<RunJobData, RunJobResult>(QUEUE_NAME, { connection: connection(url, false) }),
    url,
  )
  const events =
    args.status || args.detach
      ? undefined
      : await ready(new QueueEvents(QUEUE_NAME, { connection: connection(url, false) }), url)
  try {
    if (args.status) return await showStatus(queue, runs, io)
    const byId = new Map(runs.map((r) => [r.id, r]))
    const finished = new Map<string, 'completed' | 'failed'>()
    let settle: () => void = () => undefined
    const allDone = new Promise<void>((r) => (settle = r))
    const finish = (id: string, state: 'completed' | 'failed', detail: string) => {
      const run = byId.get(id)
      if (!run || finished.has(id)) return
      finished.set(id, state)
      io.out(state === 'completed' ? `✓ ${run.stem} → ${run.out}` : `✗ ${run.stem}: ${detail}`)
      if (finished.size === runs.length) settle()
    }
    const ranges = new Map(
      runs.flatMap((run) =>
        rangesOf(run, args.split).map((r) => [rangeJobId(run, r.start), { run, ...r }] as const),
      ),
    )
    events?.on('completed', ({ jobId }) => {
      const range = ranges.get(jobId)
      if (range)
        io.err(`… ${range.run.stem}: frames ${range.start + 1}–${range.start + range.count} done`)
    })
    events?.on('progress', ({ jobId, data }) => {
      const run = byId.get(jobId)
      const p = data as Partial<RunProgress>
      if (run && typeof p.node === 'string') io.err(`… ${run.stem}: ${p.node}`)
    })
    events?.on('active', ({ jobId }) => {
      const run = byId.get(jobId)
      if (run) io.err(`… ${run.stem}: started`)
    })
    events?.on('completed', ({ jobId }) => finish(jobId, 'completed', ''))
    events?.on('failed', ({ jobId, failedReason }) => {
      // A failure that will be retried is not the end of the job.
      void queue.getJob(jobId).then(async (job) => {
        if (job && (await job.getState()) === 'failed') finish(jobId, 'failed', failedReason)
      })
    })
    const split = runs.filter((run) => (run.frames ?? 0) > args.split)
    const whole = runs.filter((run) => !split.includes(run))
    await queue.addBulk(
      whole.map((run) => ({
        name: run.stem,
        data: { argv: run.argv, stem: run.stem, out: run.out },
        opts: { ...JOB_OPTIONS, jobId: run.id },
      })),
    )
    if (split.length > 0) {
      const flows = new FlowProducer({ connection: connection(url, false) })
      try {
        await flows.addBulk(split.map((run) => splitFlow(run, args.split)))
      } finally {
        await flows.close()
      }
      for (const run of split)
        io.out(`${run.stem}: ${run.frames} frames in ${rangesOf(run, args.split).length} jobs`)
    }
    io.out(`${runs.length} runs on ${url} (queue "${QUEUE_NAME}").`)
    if (args.detach) {
      io.out(
        'Workers: npm run render -- --worker --queue URL. Follow them with the same command and --status.',
      )
      return 0
    }
    // Jobs finished before we listened (an earlier submission of the same batch) count too.
    for (const run of runs) {
      const job = await queue.getJob(run.id)
      const state = job ? await job.getState() : 'unknown'
      if (state === 'completed') finish(run.id, 'completed', '')
      if (state === 'failed') finish(run.id, 'failed', job?.failedReason ?? 'failed')
    }
    await allDone
    const failed = [...finished.values()].filter((s) => s === 'failed').length
    io.out(
      `${runs.length - failed} of ${runs.length} runs done${failed ? `, ${failed} failed` : ''}.`,
    )
    return failed ? 1 : 0
  } finally {
    await events?.close()
    await queue.close()
  }
}

/**
 * The frame ranges a run is split into (none when it has no more than `split` frames): `split`
 * frames each, the last one shorter.
 */
export function rangesOf(run: PlannedRun, split: number): { start: number; count: number }[] {
  const total = run.frames ?? 0
  if (total <= split) return []
  return Array.from({ length: Math.ceil(total / split) }, (_, i) => ({
    start: i * split,
    count: Math.min(split, total - i * split),
  }))
}

/** A range job's id: its run's content hash and first frame, so resubmitting adds nothing. */
const rangeJobId = (run: PlannedRun, start: number) => `${run.id}-f${start}`

/**
 * A long frame sequence as a BullMQ flow: one child job per frame range (`--frames FROM:COUNT`,
 * each leaving its PNGs on shared storage) and the run's own job as their parent, which BullMQ
 * starts only when every child has completed (`--join-frames`: the zip, the soundtrack and every
 * other output, once). A child that fails for good fails the parent; a child whose worker dies
 * is retried like any job.
 */
function splitFlow(run: PlannedRun, split: number): FlowJob {
  return {
    name: run.stem,
    queueName: QUEUE_NAME,
    data: { argv: [...run.argv, '--join-frames'], stem: run.stem, out: run.out },
    opts: { ...JOB_OPTIONS, jobId: run.id },
    children: rangesOf(run, split).map(({ start, count }) => ({
      name: `${run.stem} frames ${start + 1}–${start + count}`,
      queueName: QUEUE_NAME,
      data: {
        argv: [...run.argv, '--frames', `${start}:${count}`],
        stem: `${run.stem} frames ${start + 1}–${start + count}`,
        out: run.out,
      },
      opts: { ...JOB_OPTIONS, jobId: rangeJobId(run, start), failParentOnFailure: true },
    })),
  }
}

type RunJob = Job<RunJobData, RunJobResult>

/** What `--status` says beside a job's state: the reason, the node it is at, its output. */
function stateDetail(job: RunJob | undefined, state: string, out: string): string {
  const p = job?.progress as Partial<RunProgress> | undefined
  if (state === 'failed') return job?.failedReason ?? ''
  if (state === 'active' && p?.node)
    return `at ${p.node}${p.host ? ` (${p.host}, process ${p.pid})` : ''}`
  return state === 'completed' ? out : ''
}

/**
 * The range jobs of a split run (the children of its flow), in frame order, with their states.
 * Empty for a run that was not split.
 */
async function rangesOfJob(
  queue: Queue<RunJobData, RunJobResult>,
  job: RunJob,
): Promise<{ job: RunJob | undefined; id: string; state: string }[]> {
  const deps = await job.getDependencies()
  const keys = [
    ...Object.keys(deps.processed ?? {}),
    ...(deps.unprocessed ?? []),
    ...(deps.failed ?? []),
    ...Object.keys(deps.ignored ?? {}),
  ]
  // Keys are "<prefix>:<queue>:<job id>"; a range's id ends in "-f<first frame>".
  const ids = [...new Set(keys.map((k) => k.slice(k.lastIndexOf(':') + 1)))]
  const first = (id: string) => Number(/-f(\d+)$/.exec(id)?.[1] ?? 0)
  ids.sort((a, b) => first(a) - first(b))
  return Promise.all(
    ids.map(async (id) => {
      const child = await queue.getJob(id)
      return { job: child, id, state: child ? await child.getState() : 'removed' }
    }),
  )
}

const countStates = (states: string[]) => {
  const counts = new Map<string, number>()
  for (const s of states) counts.set(s, (counts.get(s) ?? 0) + 1)
  return [...counts.entries()].map(([s, n]) => `${n} ${s}`).join(', ')
}

/**
 * `--status`: a line per run (its state, and where it is, why it failed or what it wrote); a
 * split run also says how its ranges stand and lists each range, then whether its join ran.
 */
async function showStatus(
  queue: Queue<RunJobData, RunJobResult>,
  runs: PlannedRun[],
  io: Io,
): Promise<number> {
  const rows: { name: string; state: string; detail: string }[] = []
  const counts: string[] = []
  for (const run of runs) {
    const job = await queue.getJob(run.id)
    const state = job ? await job.getState() : 'not submitted'
    counts.push(state)
    const ranges = job ? await rangesOfJob(queue, job) : []
    if (ranges.length === 0) {
      rows.push({ name: run.stem, state, detail: stateDetail(job, state, run.out) })
      continue
    }
    // A flow's own job is the join: it waits for its ranges, then zips their frames.
    const join =
      state === 'waiting-children'
        ? 'the join waits for them'
        : state === 'active'
          ? 'joining now'
          : state === 'completed'
            ? `joined into ${run.out}`
            : state === 'failed'
              ? `failed: ${job?.failedReason ?? ''}`
              : `the join is ${state}`
    const states = countStates(ranges.map((r) => r.state))
    rows.push({ name: run.stem, state, detail: `${ranges.length} ranges: ${states}; ${join}` })
    for (const range of ranges) {
      const name = `  ${(range.job?.name ?? range.id).replace(`${run.stem} `, '')}`
      rows.push({ name, state: range.state, detail: stateDetail(range.job, range.state, '') })
    }
  }
  const width = Math.max(4, ...rows.map((r) => r.name.length))
  for (const r of rows)
    io.out(`${r.name.padEnd(width)}  ${r.state.padEnd(16)}  ${r.detail}`.trimEnd())
  io.out(countStates(counts))
  return 0
}

/**
 * `--worker`: with `--concurrency N` above 1, N worker processes (each run is CPU-bound
 * JavaScript and native inference: processes use the cores); with 1, a BullMQ worker here.
 */
export async function runWorkers(args: FarmArgs, io: Io): Promise<number> {
  const n = args.concurrency ?? 1
  if (n > 1) return superviseWorkers(args, n, io)
  const { values } = parseArgs({
    args: args.rest,
    options: {
      cache: { type: 'string' },
      'no-cache': { type: 'boolean', default: false },
      ort: { type: 'string' },
    },
  })
  const own = [
    ...cacheFlags({
      cache: values.cache && resolve(invocationDir(), values.cache),
      noCache: values['no-cache'],
    }),
    ...(values.ort ? ['--ort', values.ort] : []),
  ]
  const url = args.queue ?? ''
  process.env[WORKER_FLAGS_ENV] = JSON.stringify(own)
  const worker = new Worker<RunJobData, RunJobResult>(QUEUE_NAME, JOB_FILE, {
    connection: connection(url, true),
    concurrency: 1,
    lockDuration: args.stallSeconds * 1000,
    stalledInterval: args.stallSeconds * 1000,
    maxStalledCount: 2,
    autorun: false,
  })
  worker.on('active', (job) => io.out(`started ${job.id} ${job.data.stem}`))
  worker.on('completed', (job) => io.out(`finished ${job.id} ${job.data.stem}`))
  worker.on('failed', (job, error) =>
    io.out(`failed ${job?.id ?? '?'} ${job?.data.stem ?? ''}: ${error.message}`),
  )
  worker.on('error', (error) => io.err(`! ${error.message}`))
  await ready(worker, url)
  io.out(`worker ${process.pid} on ${url} (queue "${QUEUE_NAME}")`)
  const stop = () => void worker.close()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  await worker.run()
  return 0
}

function superviseWorkers(args: FarmArgs, n: number, io: Io): Promise<number> {
  const argv = [
    '--worker',
    '--queue',
    args.queue ?? '',
    '--stall-seconds',
    String(args.stallSeconds),
    ...args.rest,
  ]
  const children: ChildProcess[] = []
  for (let i = 0; i < n; i++) {
    const { command, args: childArgs } = renderCommand(argv)
    children.push(spawn(command, childArgs, { stdio: 'inherit' }))
  }
  io.err(`${n} worker processes: ${children.map((c) => c.pid).join(', ')}`)
  const stop = () => children.forEach((c) => c.kill('SIGTERM'))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  return Promise.all(
    children.map((c) => new Promise<number>((r) => c.on('close', (code) => r(code ?? 0)))),
  ).then((codes) => Math.max(0, ...codes))
}
