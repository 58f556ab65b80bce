import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))
const vite = `${root}node_modules/.bin/vite`
const config = 'tests/e2e/vite.config.ts'

/**
 * Builds the app with the harness pages into test-results/e2e-dist. With E2E_SKIP_BUILD=1
 * an existing build is reused (for quick re-runs while writing tests).
 */
export function buildForE2e(): void {
  const built = existsSync(`${root}test-results/e2e-dist/index.html`)
  if (process.env.E2E_SKIP_BUILD === '1' && built) return
  const build = spawnSync(vite, ['build', '--config', config, '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  })
  if (build.status !== 0) throw new Error(`vite build failed (exit ${build.status})`)
}

/** Serves the build with `vite preview` (the app's headers) on 4173, or the next free port. */
export async function startPreview(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = spawn(vite, ['preview', '--config', config, '--port', '4173'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const url = await waitForUrl(server)
  return {
    url,
    stop: async () => {
      if (server.exitCode !== null) return
      const exited = new Promise((resolve) => server.once('exit', resolve))
      server.kill('SIGTERM')
      await exited
    },
  }
}

/** vite preview prints its address; a busy 4173 makes it pick another port, so read it. */
function waitForUrl(server: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => {
      server.kill('SIGTERM')
      reject(new Error(`vite preview did not start within 30 s:\n${output}`))
    }, 30_000)
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      const plain = output.replace(/\u001b\[[0-9;]*m/g, '')
      const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(plain)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    server.stdout?.on('data', read)
    server.stderr?.on('data', read)
    server.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`vite preview exited (${code}):\n${output}`))
    })
  })
}
