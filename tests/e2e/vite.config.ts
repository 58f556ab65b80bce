import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig, loadConfigFromFile, mergeConfig } from 'vite'

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
