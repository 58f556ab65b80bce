import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))
const vite = `${root}node_modules/.bin/vite`
const config = 'tests/e2e/vite.config.ts'

export interface E2eBuild {
  /** Relative to the repository root. */
  outDir: string
  /** Whether the folder is this run's own, to remove when done. */
  temporary: boolean
}

/**
 * Builds the app with the harness pages. Each run builds into a folder of its own, so two
 * people (or two sessions) running the browser tests at once do not overwrite each other's
 * files while they are being served. With E2E_SKIP_BUILD=1, test-results/e2e-dist is built
 * once and reused (for quick re-runs while writing tests).
 */
export function buildForE2e(): E2eBuild {
  const reuse = process.env.E2E_SKIP_BUILD === '1'
  const outDir = reuse ? 'test-results/e2e-dist' : `test-results/e2e-dist-${process.pid}`
  if (reuse && existsSync(`${root}${outDir}/index.html`)) return { outDir, temporary: false }
  const build = spawnSync(vite, ['build', '--config', config, '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, E2E_OUT_DIR: outDir },
  })
  if (build.status !== 0) throw new Error(`vite build failed (exit ${build.status})`)
  return { outDir, temporary: !reuse }
}

/**
 * Serves a build with `vite preview` (the app's headers) on 4173, or the next free port;
 * `stop` also removes a temporary build.
 */
export async function startPreview(
  build: E2eBuild,
): Promise<{ url: string; stop(): Promise<void> }> {
  const server = spawn(vite, ['preview', '--config', config, '--port', '4173'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, E2E_OUT_DIR: build.outDir },
  })
  const url = await waitForUrl(server)
  return {
    url,
    stop: async () => {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve))
        server.kill('SIGTERM')
        await exited
      }
      if (build.temporary) await rm(`${root}${build.outDir}`, { recursive: true, force: true })
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
