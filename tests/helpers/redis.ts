import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'

/**
 * A throwaway Redis for the farm's test and bench: Debian's redis-server on a free port of
 * 127.0.0.1, nothing written to disk (no RDB snapshots, no AOF).
 */

export const hasRedisServer = () =>
  spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0

/** A port nothing listens on just now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer()
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => done(port))
    })
  })
}

/** Resolves with the first line of `child`'s stdout that `match` accepts. */
export function lineFrom(child: ChildProcess, match: (line: string) => boolean): Promise<string> {
  return new Promise((done, fail) => {
    let buffer = ''
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString()
      const lines = buffer.split('\n')
      buffer = lines.pop() ?? ''
      const hit = lines.find(match)
      if (hit !== undefined) {
        child.stdout?.off('data', onData)
        done(hit)
      }
    }
    child.stdout?.on('data', onData)
    child.once('exit', () => fail(new Error('the process ended before saying so')))
  })
}

export interface TestRedis {
  process: ChildProcess
  url: string
  stop(): Promise<void>
}

/** Starts redis-server (working folder `dir`) and resolves once it accepts connections. */
export async function startRedis(dir: string): Promise<TestRedis> {
  const port = await freePort()
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']
  const redis = spawn('redis-server', [...args, '--dir', dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await lineFrom(redis, (l) => /ready to accept connections/i.test(l))
  return {
    process: redis,
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (redis.exitCode !== null) return
      const exited = new Promise((done) => redis.once('exit', done))
      redis.kill('SIGTERM')
      await exited
    },
  }
}
