import { readFile } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig, loadConfigFromFile, mergeConfig, type Plugin } from 'vite'

const root = fileURLToPath(new URL('../../', import.meta.url))

/**
 * The app's own build (its vite.config.ts, headers included) plus the test harness pages,
 * into test-results/ (E2E_OUT_DIR, see preview-server.ts) so that the harness never ships
 * in `npm run build`.
 */
export default defineConfig(async (env) => {
  const base = await loadConfigFromFile(env, resolve(root, 'vite.config.ts'), root)
  return mergeConfig(base?.config ?? {}, {
    root,
    plugins: [fakeModelHost()], // model files for download tests, never from the internet
    build: {
      outDir: resolve(root, process.env.E2E_OUT_DIR ?? 'test-results/e2e-dist'),
      emptyOutDir: true,
      rolldownOptions: {
        input: {
          main: resolve(root, 'index.html'),
          runtime: resolve(root, 'tests/e2e/harness/runtime.html'),
        },
      },
    },
  })
})

const TINY = fileURLToPath(new URL('../../models/tiny/', import.meta.url))

/**
 * A stand-in for a model host, served by `vite preview` during the browser tests so that no
 * test ever reaches the internet: `/e2e-models/tiny/<path>` answers with models/tiny's files
 * (404 for anything else, Range requests honoured as Hugging Face does). Under
 * `/e2e-models/slow/` the same files trickle out (4 kB every 40 ms), slowly enough for a test
 * to cancel a download part-way and resume it.
 */
export function fakeModelHost(): Plugin {
  return {
    name: 'e2e-fake-model-host',
    configurePreviewServer(server) {
      server.middlewares.use('/e2e-models/', (req, res) => {
        const url = new URL(req.url ?? '/', 'http://x')
        const match = /^\/(tiny|slow)\/(.+)$/.exec(url.pathname)
        const path = match?.[2] ?? ''
        if (!match || path.includes('..') || path.startsWith('variants/')) {
          notFound(res)
          return
        }
        const method = req.method ?? 'GET'
        void readFile(TINY + path).then(
          (bytes) => send(res, bytes, method, req.headers.range, match[1] === 'slow'),
          () => notFound(res),
        )
      })
    },
  }
}

function notFound(res: ServerResponse) {
  res.statusCode = 404
  res.end('not found')
}

async function send(
  res: ServerResponse,
  bytes: Buffer,
  method: string,
  range: string | undefined,
  slow: boolean,
): Promise<void> {
  const from = Number(/^bytes=(\d+)-$/.exec(range ?? '')?.[1] ?? 0)
  if (from >= bytes.length && from > 0) {
    res.statusCode = 416
    res.end()
    return
  }
  res.setHeader('Content-Type', 'application/octet-stream')
  res.setHeader('Accept-Ranges', 'bytes')
  res.setHeader('Content-Length', String(bytes.length - from))
  if (from > 0) {
    res.statusCode = 206
    res.setHeader('Content-Range', `bytes ${from}-${bytes.length - 1}/${bytes.length}`)
  }
  const body = bytes.subarray(from)
  if (method === 'HEAD' || !slow) {
    res.end(method === 'HEAD' ? undefined : body)
    return
  }
  for (let at = 0; at < body.length && !res.destroyed; at += 4096) {
    res.write(body.subarray(at, at + 4096))
    await new Promise((resolve) => setTimeout(resolve, 40))
  }
  res.end()
}
