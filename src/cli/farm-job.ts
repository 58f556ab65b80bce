import { hostname } from 'node:os'
import { UnrecoverableError, type SandboxedJob } from 'bullmq'
import {
  WORKER_FLAGS_ENV,
  type RunJobData,
  type RunJobResult,
  type RunProgress,
} from './farm-queue'
import { render, type Io } from './render'

/**
 * One farm job, run by BullMQ in a process of its own beside the worker (a sandboxed processor,
 * kept for the next job, so loaded models stay loaded). The worker's own event loop stays free to
 * renew the job's lock however long a node computes, so a job is given to another worker only
 * when its worker is really gone.
 */

// A worker killed outright (SIGKILL, a crash) cannot stop this process, and BullMQ's runner
// does not notice: the job would run on unseen, holding a core and gigabytes until it ends
// (the farm test's killed worker left one for over half an hour). Leave when the channel to the
// worker closes, which is when it is gone.
process.once('disconnect', () => process.exit(1))

// Nodes run on this process's main thread unless the worker was started with SYNESTHETE_THREADS:
// a run's thread pool starts (each thread loading the modules) and ends with the run, which
// cost more than the work of a short job (a range of frames, a song's Griffin-Lim); a farm uses
// the cores with one worker process per core instead (README, the render farm).
process.env.SYNESTHETE_THREADS ??= '0'

export default async function runJob(
  job: SandboxedJob<RunJobData, RunJobResult>,
): Promise<RunJobResult> {
  const own = JSON.parse(process.env[WORKER_FLAGS_ENV] ?? '[]') as string[]
  const lines: string[] = []
  let done = 0
  let running = ''
  const capture: Io = {
    out: (l) => lines.push(l),
    err: (l) => {
      lines.push(l)
      if (l.startsWith('… ')) {
        if (running) done++
        running = l.slice(2)
        const progress: RunProgress = { node: running, done, host: hostname(), pid: process.pid }
        void job.updateProgress(progress)
      }
    },
  }
  const code = await render([...job.data.argv, ...own], capture)
  if (code === 0)
    return { written: lines.filter((l) => l.startsWith('wrote ')).map((l) => l.slice(6)) }
  const why = lines
    .filter((l) => !l.startsWith('… ') && !l.startsWith('! '))
    .slice(-6)
    .join('\n')
  // The same command line fails the same way again: no retry. (Exit 2: an unusable command or
  // graph — a missing file, a bad param; 1: a node failed on this input.)
  throw new UnrecoverableError(`${job.data.stem}: ${why || `exit ${code}`}`)
}
