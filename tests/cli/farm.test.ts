import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Queue } from 'bullmq'
import { unzipSync } from 'fflate'
import { afterAll, describe, expect, it } from 'vitest'
import { renderCommand } from '../../src/cli/farm'
import { QUEUE_NAME } from '../../src/cli/farm-queue'
import { render } from '../../src/cli/render'
import { encodeWav } from '../../src/media/wav-encode'
import { decodePng } from '../../src/media/png'
import { decodeWav } from '../../src/media/wav'
import { hasRedisServer, startRedis, type TestRedis } from '../helpers/redis'
import { graphOf } from '../helpers/test-nodes'

/**
 * The render farm end to end: Debian's redis-server on a free local port with no persistence
 * and three worker processes, started once for both tests (starting them is most of the time).
 * Six inputs submitted as BullMQ jobs, one worker killed with SIGKILL while it runs a job: every
 * output must exist exactly once and equal, sample for sample, what a local `--each` run makes.
 * Then a video split by frame range over the workers left, one killed as it starts a range:
 * the range is retried elsewhere, the join runs once, and the zip holds exactly a local
 * render's frames. Everything waits on the workers' own lines, never on the clock. CI installs
 * redis-server (.ci/run); without it the test says so and skips.
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
  const waitFor = (match: (l: string) => boolean) =>
    new Promise<string>((done) => {
      const seen = lines.find(match)
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
const dir = mkdtempSync(join(tmpdir(), 'synesthete-farm-'))
let redis: TestRedis | undefined
afterAll(async () => {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
  await redis?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** Three workers sharing one cache folder, each giving up a silent peer's job after 3 s. */
async function startFarm() {
  redis = await startRedis(dir)
  started.push(redis.process)
  const url = redis.url
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
  return { url, workers, logs }
}

/** Resolves when a live worker says it finished job `id`. */
function finishedOn(workers: ChildProcess[], logs: ReturnType<typeof watch>[], id: string) {
  return Promise.race(
    logs
      .filter((_, i) => alive(workers[i]))
      .map((log) => log.waitFor((l) => l.startsWith(`finished ${id} `))),
  )
}

/** One farm for both tests: Redis and three workers start once (they are most of the time). */
let farm: ReturnType<typeof startFarm> | undefined
const theFarm = () => (farm ??= startFarm())
const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null

/** Kills the first live worker that starts a job whose log line `match` accepts. */
function killOnStart(
  workers: ChildProcess[],
  logs: ReturnType<typeof watch>[],
  match: (line: string) => boolean,
) {
  return Promise.race(
    logs
      .map((log, i) => ({ log, i }))
      .filter(({ i }) => alive(workers[i]))
      .map(({ log, i }) =>
        log
          .waitFor((l) => l.startsWith('started ') && match(l))
          .then((line) => ({
            i,
            job: line.split(' ')[1],
          })),
      ),
  ).then((hit) => {
    workers[hit.i].kill('SIGKILL')
    return hit
  })
}

describe.runIf(hasRedis)('the render farm on BullMQ and Redis', () => {
  it('runs six inputs on three workers, survives one killed mid-job, and matches --each', async () => {
    const inputs = join(dir, 'in')
    mkdirSync(inputs)
    const stems = ['a', 'b', 'c', 'd', 'e', 'f']
    // "a" is longer (hundreds of ms of work), so the worker that starts it is killed mid-job;
    // the others are short, to keep the test light.
    stems.forEach((stem, i) =>
      writeFileSync(join(inputs, `${stem}.wav`), tone(220 + 110 * i, stem === 'a' ? 4 : 0.5)),
    )
    const graphFile = join(dir, 'graph.json')
    writeFileSync(graphFile, JSON.stringify(graph))
    const { url, workers, logs } = await theFarm()

    // The worker that starts the long run is killed as soon as it says so, mid-job.
    const victim = killOnStart(workers, logs, (l) => l.endsWith(' a'))

    const farmOut = join(dir, 'farm-out')
    const submit = capture()
    const code = await render(
      [graphFile, '--each', `load=${inputs}/*.wav`, '--out', farmOut, '--queue', url],
      submit.io,
    )
    expect(code, [...submit.out, ...submit.err].join('\n')).toBe(0)
    const killed = await victim
    expect(workers[killed.i].signalCode).toBe('SIGKILL')
    // The killed worker never finished its job; another one did, after its lock lapsed. (Its
    // line may reach us just after the submitting command returns: wait for it.)
    await finishedOn(workers, logs, killed.job)
    const finished = (i: number) => logs[i].lines.some((l) => l === `finished ${killed.job} a`)
    expect(finished(killed.i)).toBe(false)
    const finishers = [0, 1, 2].filter((i) => i !== killed.i && finished(i))
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
    expect(await queue.getJobCountByTypes('completed', 'waiting', 'active', 'failed')).toBe(6)
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
    const inputs = join(dir, 'video-in')
    mkdirSync(inputs)
    // 2.5 s at 24 fps: 60 frames, five ranges of 12.
    writeFileSync(join(inputs, 'clip.wav'), tone(330, 2.5))
    const graphFile = join(dir, 'video.json')
    writeFileSync(graphFile, JSON.stringify(videoGraph))
    const { url, workers, logs } = await theFarm()
    const live = [0, 1, 2].filter((i) => alive(workers[i]))
    expect(live.length).toBeGreaterThanOrEqual(2)

    const victim = killOnStart(workers, logs, (l) => / clip frames \d+–\d+$/.test(l))
    const farmOut = join(dir, 'video-farm')
    const submit = capture()
    const each = [graphFile, '--each', `load=${inputs}/*.wav`, '--out', farmOut]
    const code = await render([...each, '--queue', url, '--split', '12'], submit.io)
    expect(code, [...submit.out, ...submit.err].join('\n')).toBe(0)
    expect(submit.out).toContain('clip: 60 frames in 5 jobs')
    const killed = await victim

    // Ranges went to more than one worker; the killed one's range was finished by another.
    const startedRanges = (i: number) =>
      logs[i].lines.filter((l) => /^started \S+ clip frames /.test(l)).length
    expect(live.filter((i) => startedRanges(i) > 0).length).toBeGreaterThanOrEqual(2)
    await finishedOn(workers, logs, killed.job)
    const finishedBy = live.filter((i) =>
      logs[i].lines.some((l) => l.startsWith(`finished ${killed.job} `)),
    )
    expect(finishedBy).toHaveLength(1)
    expect(finishedBy[0]).not.toBe(killed.i)
    // The join ran once, after every range, on one worker.
    const isJoin = (l: string) => /^finished \S+ clip$/.test(l)
    await Promise.race(live.map((i) => logs[i].waitFor(isJoin)))
    const joins = live.flatMap((i) => logs[i].lines.filter(isJoin))
    expect(joins).toHaveLength(1)

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
})
