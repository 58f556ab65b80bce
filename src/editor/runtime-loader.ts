import type { BrowserRuntime } from '../runtime/types'
import { forcedGpuProvider } from './gpu-flag'

/**
 * Starts the browser runtime (worker pool, caches, file store), or says why it cannot. Loaded
 * as its own chunk so the editor paints before the engine is up.
 */
export async function loadRuntime(): Promise<{ runtime?: BrowserRuntime; problem?: string }> {
  try {
    const { createBrowserRuntime } = await import('../runtime')
    return { runtime: await createBrowserRuntime({ gpuProvider: forcedGpuProvider() }) }
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    return { problem: `The engine could not start: ${why}. Reload the page to try again.` }
  }
}
