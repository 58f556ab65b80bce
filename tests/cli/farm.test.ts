import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Queue, QueueEvents } from 'bullmq'
import { unzipSync } from 'fflate'
import { afterAll, describe, expect, it } from 'vitest'
import { renderCommand } from '../../src/cli/farm'
import { QUEUE_NAME, type RunProgress } from '../../src/cli/farm-queue'
import { render } from '../../src/cli/render'
import { encodeWav } from '../../src/media/wav-encode'
import { decodePng } from '../../src/media/png'
import { decodeWav } from '../../src/media/wav'
import { hasRedisServer, startRedis, type TestRedis } from '../helpers/redis'
import { graphOf } from '../helpers/test-nodes'

/**
 * The render farm end to end: Debian's redis-server on a free local port with no persistence
 * and three worker processes, started once for all tests (starting them is most of the time).
 * Six inputs submitted as BullMQ jobs, one worker killed with SIGKILL while it holds a job:
 * every output must exist exactly once and equal, sample for sample, what a local `--each` run
 * makes. Then a video split by frame range over the workers left, one killed while it holds a
 * range: the range is retried elsewhere, the join runs once, `--status` lists the ranges, and
 * the zip holds exactly a local render's frames. Last, the workers stop on SIGTERM and no job
 * process outlives its worker.
 *
 * The kill is deterministic: the job processes of the workers that have run a job (BullMQ's
 * sandbox, which runs every job of its worker: its pid comes with the job's progress) are
 * frozen with SIGSTOP between jobs, so the next job such a worker takes cannot finish however
 * fast the machine is; the first of them to say it started one is killed, the others go on,
 * and its job process is let go and must leave (its worker is gone). Everything waits on the workers' own lines and events,
 * never on the clock. CI installs redis-server (.ci/run); without it the test says so and skips.
 */

const hasRedis = hasRedisServer()
if (!hasRedis) console.log('farm.test.ts: redis-server is not installed; skipping the farm test.')

/** Sound → spectra → pictures → Video Output with the sound: frames to split. */
const videoGraph = graphOf(
  [
    { id: 'load', type: 'audio/load' },
    { id: 'spectra', type: 'frames/spectrum', params: { fps: 24, bins: 32, fftSize: 512 } },
    { id: 'draw', type: 'frames/draw-spectrum', params: { width: 160, height: 120 } },
    { id: 'video', type: 'frames/output', params: { name: 'clip' } },
  ],
  [
    'load.audio->spectra.audio',
    'spectra.spectra->draw.spectra',
    'draw.frames->video.frames',
    'load.audio->video.audio',
  ],
)

/** Load → STFT → picture → Griffin-Lim → WAV: CPU work only, no model. */
const graph = graphOf(
  [
    { id: 'load', type: 'audio/load' },
    { id: 'stft', type: 'dsp/stft' },
    { id: 'picture', type: 'dsp/normalize' },
    { id: 'gl', type: 'dsp/griffin-lim', params: { iterations: 16 } },
    { id: 'out', type: 'audio/output', params: { name: 'heard', format: 'float32' } },
  ],
  [
    'load.audio->stft.audio',
    'stft.spectrogram->picture.spectrogram',
    'picture.image->gl.image',
    'gl.audio->out.audio',
  ],
)

function tone(hz: number, seconds: number, rate = 22050): Uint8Array {
  const samples = Float32Array.from(
    { length: Math.round(seconds * rate) },
    (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / rate) * Math.min(1, i / 500),
  )
  return encodeWav({ sampleRate: rate, channels: [samples] }, 'pcm16')
}

/** Every whole line a worker prints (stdout and stderr), and a way to wait for one. */
function watch(child: ChildProcess) {
  const lines: string[] = []
  const waiting: { match: (l: string) => boolean; done: (l: string) => void }[] = []
  const reader = () => {
    let buffer = ''
    return (chunk: Buffer) => {
      buffer += chunk.toString()
      const parts = buffer.split('\n')
      buffer = parts.pop() ?? ''
      for (const line of parts) {
        lines.push(line)
        for (const w of waiting.filter((w) => w.match(line))) {
          waiting.splice(waiting.indexOf(w), 1)
          w.done(line)
        }
      }
    }
  }
  child.stdout?.on('data', reader())
  child.stderr?.on('data', reader())
  /** The first line from index `from` on that `match` accepts, now or when it comes. */
  const waitFor = (match: (l: string) => boolean, from = 0) =>
    new Promise<string>((done) => {
      const seen = lines.slice(from).find(match)
      if (seen !== undefined) done(seen)
      else waiting.push({ match, done })
    })
  return { lines, waitFor }
}

function capture() {
  const out: string[] = []
  const err: string[] = []
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err }
}

const started: ChildProcess[] = []
/** Job processes frozen by a test: let go and ended should a test stop halfway. */
const frozen = new Set<number>()
const dir = mkdtempSync(join(tmpdir(), 'synesthete-farm-'))
let redis: TestRedis | undefined
let events: QueueEvents | undefined
afterAll(async () => {
  for (const pid of frozen) if (!gone(pid)) process.kill(pid, 'SIGKILL')
  for (const child of started) if (alive(child)) child.kill('SIGTERM')
  await events?.close()
  await redis?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** Whether process `pid` has ended (a zombie nobody reaped counts: it runs nothing). */
function gone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true
  } catch {
    try {
      process.kill(pid, 0)
      return false
    } catch {
      return true
    }
  }
}

/**
 * Resolves once process `pid` has ended (not a child of ours: its end sends us no event, so we
 * look). A job process whose worker is gone should leave at once; after a minute it is not
 * leaving, and the test says which process it is rather than waiting for its own timeout.
 */
async function whenGone(pid: number, what: string): Promise<void> {
  const given = Date.now() + 60_000
  while (!gone(pid)) {
    if (Date.now() > given) throw new Error(`${what} (pid ${pid}) still runs a minute later`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Every job's progress as the workers report it (node, and the job process's pid). */
interface Seen {
  jobId: string
  progress: RunProgress
}

/** Three workers sharing one cache folder, each giving up a silent peer's job after 3 s. */
async function startFarm() {
  redis = await startRedis(dir)
  started.push(redis.process)
  const url = redis.url
  // From the stream's start: no progress event is missed, however early it comes.
  events = new QueueEvents(QUEUE_NAME, { connection: { url }, lastEventId: '0-0' })
  const progress: Seen[] = []
  const waiting: { match: (seen: Seen) => boolean; done: () => void }[] = []
  events.on('progress', ({ jobId, data }) => {
    const seen = { jobId, progress: data as RunProgress }
    progress.push(seen)
    for (const w of waiting.filter((w) => w.match(seen))) {
      waiting.splice(waiting.indexOf(w), 1)
      w.done()
    }
  })
  /** Resolves once some job's progress that `match` accepts has come. */
  const progressOf = (match: (seen: Seen) => boolean) =>
    new Promise<void>((done) => {
      if (progress.some(match)) done()
      else waiting.push({ match, done })
    })
  await events.waitUntilReady()
  const cache = join(dir, 'cache')
  const workers = [0, 1, 2].map(() => {
    const { command, args } = renderCommand([
      '--worker',
      '--queue',
      url,
      '--cache',
      cache,
      '--stall-seconds',
      '3',
    ])
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    started.push(child)
    return child
  })
  const logs = workers.map(watch)
  await Promise.all(logs.map((log) => log.waitFor((l) => l.startsWith('worker '))))
  return { url, workers, logs, progress, progressOf }
}
type Farm = Awaited<ReturnType<typeof startFarm>>

/** Resolves when a live worker says it finished job `id`. */
function finishedOn({ workers, logs }: Farm, id: string) {
  return Promise.race(
    logs
      .filter((_, i) => alive(workers[i]))
      .map((log) => log.waitFor((l) => l.startsWith(`finished ${id} `))),
  )
}

/** One farm for every test: Redis and three workers start once (they are most of the time). */
let farm: Promise<Farm> | undefined
const theFarm = () => (farm ??= startFarm())
const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null

/** The ids of the jobs worker `i` says it finished. */
const finishedBy = ({ logs }: Farm, i: number) =>
  logs[i].lines.filter((l) => l.startsWith('finished ')).map((l) => l.split(' ')[1])

/**
 * The process worker `i` runs its jobs in, from the progress its jobs reported (waiting for it:
 * a job's progress events may come after its worker's "finished" line). Every job it finished
 * reported the same pid: BullMQ keeps one process for a worker's jobs, so what a job loads
 * stays loaded for the next.
 */
async function jobProcessOf(f: Farm, i: number): Promise<number> {
  const mine = new Set(finishedBy(f, i))
  await f.progressOf((p) => mine.has(p.jobId))
  const pids = new Set(f.progress.filter((p) => mine.has(p.jobId)).map((p) => p.progress.pid))
  expect(pids.size, `worker ${i}'s job processes`).toBe(1)
  return [...pids][0]
}

/**
 * Freezes (SIGSTOP) the job process of every live worker that has run a job: the next job each
 * of them takes cannot finish. `taken` resolves with the first of them to start a job that
 * `match` accepts (its log line); `kill` then SIGKILLs that worker, lets the other frozen job
 * processes go on, lets the victim's go too and resolves once it has left.
 */
async function freezeWorkers(f: Farm, match: (line: string) => boolean) {
  const held: { i: number; pid: number; from: number }[] = []
  for (const i of [0, 1, 2])
    if (alive(f.workers[i]) && finishedBy(f, i).length > 0)
      held.push({ i, pid: await jobProcessOf(f, i), from: f.logs[i].lines.length })
  if (held.length === 0) throw new Error('no live worker has run a job yet')
  for (const { pid } of held) {
    frozen.add(pid)
    process.kill(pid, 'SIGSTOP')
  }
  const thaw = (pid: number) => {
    process.kill(pid, 'SIGCONT')
    frozen.delete(pid)
  }
  /** The worker that took a job it cannot finish, its job process, the job's id and line. */
  const taken = Promise.race(
    held.map(({ i, pid, from }) =>
      f.logs[i]
        .waitFor((l) => l.startsWith('started ') && match(l), from)
        .then((line) => ({ i, pid, job: line.split(' ')[1], line })),
    ),
  )
  return {
    taken,
    async kill() {
      const { i, pid } = await taken
      const exited = new Promise((r) => f.workers[i].once('exit', r))
      f.workers[i].kill('SIGKILL')
      await exited
      for (const other of held) if (other.i !== i) thaw(other.pid)
      thaw(pid)
      await whenGone(pid, "the killed worker's job process")
    },
  }
}

describe.runIf(hasRedis)('the render farm on BullMQ and Redis', () => {
  it('runs six inputs on three workers, survives one killed mid-job, and matches --each', async () => {
    const f = await theFarm()
    const { url, workers, logs } = f
    const graphFile = join(dir, 'graph.json')
    writeFileSync(graphFile, JSON.stringify(graph))
    // One run first, so that a worker has a job process to freeze.
    mkdirSync(join(dir, 'first'))
    writeFileSync(join(dir, 'first', 'first.wav'), tone(180, 0.5))
    const first = [graphFile, '--each', `load=${dir}/first/*.wav`, '--out', join(dir, 'first-out')]
    expect(await render([...first, '--queue', url], capture().io)).toBe(0)
    await Promise.race(
      logs.map((log) => log.waitFor((l) => / first$/.test(l) && l.startsWith('finished '))),
    )

    const inputs = join(dir, 'in')
    mkdirSync(inputs)
    const stems = ['a', 'b', 'c', 'd', 'e', 'f']
    stems.forEach((stem, i) => writeFileSync(join(inputs, `${stem}.wav`), tone(220 + 110 * i, 0.5)))
    const victim = await freezeWorkers(f, () => true)
    const farmOut = join(dir, 'farm-out')
    const submit = capture()
    const submitted = render(
      [graphFile, '--each', `load=${inputs}/*.wav`, '--out', farmOut, '--queue', url],
      submit.io,
    )
    // The frozen worker took a job it cannot finish: kill it, and its job process must leave.
    const taken = await victim.taken
    await victim.kill()
    expect(workers[taken.i].signalCode).toBe('SIGKILL')
    expect(gone(taken.pid)).toBe(true)

    const code = await submitted
    expect(code, [...submit.out, ...submit.err].join('\n')).toBe(0)
    // Another worker finished the job, after its lock lapsed; the killed one never did. (Its
    // line may reach us just after the submitting command returns: wait for it.)
    await finishedOn(f, taken.job)
    expect(finishedBy(f, taken.i)).not.toContain(taken.job)
    const finishers = [0, 1, 2].filter((i) => finishedBy(f, i).includes(taken.job))
    expect(finishers).toHaveLength(1)
    for (const stem of stems) expect(submit.out).toContain(`✓ ${stem} → ${join(farmOut, stem)}`)

    // Resubmitting the same batch adds nothing: the same job ids, already completed.
    const again = capture()
    expect(
      await render(
        [graphFile, '--each', `load=${inputs}/*.wav`, '--out', farmOut, '--queue', url, '--status'],
        again.io,
      ),
    ).toBe(0)
    expect(again.out.at(-1)).toBe('6 completed')
    const queue = new Queue(QUEUE_NAME, { connection: { url } })
    // Six runs and the first one.
    expect(await queue.getJobCountByTypes('completed', 'waiting', 'active', 'failed')).toBe(7)
    await queue.close()

    // Every output exactly once, equal to a local --each run sample for sample.
    const localOut = join(dir, 'local-out')
    const local = capture()
    expect(
      await render(
        [
          graphFile,
          '--each',
          `load=${inputs}/*.wav`,
          '--out',
          localOut,
          '--no-cache',
          '--concurrency',
          '1',
        ],
        local.io,
      ),
    ).toBe(0)
    expect(readdirSync(farmOut).sort()).toEqual(stems)
    for (const stem of stems) {
      expect(readdirSync(join(farmOut, stem))).toEqual(['heard.wav'])
      const farmWav = decodeWav(readFileSync(join(farmOut, stem, 'heard.wav')))
      const localWav = decodeWav(readFileSync(join(localOut, stem, 'heard.wav')))
      expect(farmWav.channels[0].length).toBeGreaterThan(10000)
      expect(farmWav.sampleRate).toBe(localWav.sampleRate)
      expect(farmWav.channels).toEqual(localWav.channels)
    }
  }, 300_000)

  it('splits a video by frame range over the workers, retries a killed range, joins once', async () => {
    const f = await theFarm()
    const { url, workers, logs } = f
    const inputs = join(dir, 'video-in')
    mkdirSync(inputs)
    // 2.5 s at 24 fps: 60 frames, five ranges of 12.
    writeFileSync(join(inputs, 'clip.wav'), tone(330, 2.5))
    const graphFile = join(dir, 'video.json')
    writeFileSync(graphFile, JSON.stringify(videoGraph))
    const live = [0, 1, 2].filter((i) => alive(workers[i]))
    expect(live.length).toBeGreaterThanOrEqual(2)

    const victim = await freezeWorkers(f, (l) => / clip frames \d+–\d+$/.test(l))
    const farmOut = join(dir, 'video-farm')
    const submit = capture()
    const each = [graphFile, '--each', `load=${inputs}/*.wav`, '--out', farmOut]
    const submitted = render([...each, '--queue', url, '--split', '12'], submit.io)
    const taken = await victim.taken

    // While the frozen range is held, --status shows the flow: its ranges and the join waiting.
    const during = capture()
    expect(await render([...each, '--queue', url, '--status'], during.io)).toBe(0)
    expect(during.out[0]).toMatch(/^clip +waiting-children +5 ranges: .*; the join waits for them$/)
    const range = taken.line.replace(/^started \S+ clip /, '')
    expect(during.out).toContainEqual(expect.stringMatching(new RegExp(`^  ${range} +active`)))
    expect(during.out.filter((l) => /^  frames \d+–\d+ /.test(l))).toHaveLength(5)

    await victim.kill()
    const code = await submitted
    expect(code, [...submit.out, ...submit.err].join('\n')).toBe(0)
    expect(submit.out).toContain('clip: 60 frames in 5 jobs')

    // Ranges went to more than one worker; the killed one's range was finished by another.
    const startedRanges = (i: number) =>
      logs[i].lines.filter((l) => /^started \S+ clip frames /.test(l)).length
    expect(live.filter((i) => startedRanges(i) > 0).length).toBeGreaterThanOrEqual(2)
    await finishedOn(f, taken.job)
    const finishers = live.filter((i) => finishedBy(f, i).includes(taken.job))
    expect(finishers).toHaveLength(1)
    expect(finishers[0]).not.toBe(taken.i)
    // The join ran once, after every range, on one worker.
    const isJoin = (l: string) => /^finished \S+ clip$/.test(l)
    await Promise.race(live.filter((i) => alive(workers[i])).map((i) => logs[i].waitFor(isJoin)))
    const joins = live.flatMap((i) => logs[i].lines.filter(isJoin))
    expect(joins).toHaveLength(1)

    // Afterwards --status lists the five ranges done and the join.
    const after = capture()
    expect(await render([...each, '--queue', url, '--status'], after.io)).toBe(0)
    expect(after.out[0]).toMatch(
      new RegExp(`^clip +completed +5 ranges: 5 completed; joined into ${join(farmOut, 'clip')}$`),
    )
    expect(after.out.filter((l) => /^  frames \d+–\d+ +completed$/.test(l))).toHaveLength(5)
    expect(after.out.at(-1)).toBe('1 completed')

    // The frames of a local render, in order, with its soundtrack; no range left behind.
    const localOut = join(dir, 'video-local')
    expect(
      await render(
        [...each.slice(0, -1), localOut, '--no-cache', '--concurrency', '1'],
        capture().io,
      ),
    ).toBe(0)
    expect(readdirSync(join(farmOut, 'clip')).sort()).toEqual(['clip.wav', 'clip.zip'])
    const frames = (root: string) =>
      Object.entries(unzipSync(readFileSync(join(root, 'clip', 'clip.zip')))).map(([name, png]) => [
        name,
        decodePng(png).channels,
      ])
    const farmFrames = frames(farmOut)
    expect(farmFrames).toHaveLength(60)
    expect(farmFrames).toEqual(frames(localOut))
    expect(decodeWav(readFileSync(join(farmOut, 'clip', 'clip.wav'))).channels).toEqual(
      decodeWav(readFileSync(join(localOut, 'clip', 'clip.wav'))).channels,
    )
  }, 300_000)

  it('stops its workers on SIGTERM, and no job process outlives them', async () => {
    const f = await theFarm()
    const pids = new Set(f.progress.map((p) => p.progress.pid))
    expect(pids.size).toBeGreaterThanOrEqual(2)
    const live = f.workers.filter(alive)
    expect(live.length).toBeGreaterThanOrEqual(1)
    await Promise.all(
      live.map((w) => {
        const exited = new Promise((r) => w.once('exit', r))
        w.kill('SIGTERM')
        return exited
      }),
    )
    for (const pid of pids) await whenGone(pid, 'a job process of a stopped worker')
    expect([...pids].filter((pid) => !gone(pid))).toEqual([])
  }, 120_000)
})
