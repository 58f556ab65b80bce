import { probeWebGpu, type WebGpuSupport } from './gpu-probe'
import type { ProviderRun } from '../engine/define-node'
import type { GpuStatus, GpuStatusSource } from './types'

/** The GPU line of the status bar: what WebGPU offers, and what last actually ran. */
export function createGpuStatus(): GpuStatusSource & { setLastRun(run: ProviderRun): void } {
  let status: GpuStatus = {}
  let probing: Promise<WebGpuSupport> | undefined
  const listeners = new Set<(status: GpuStatus) => void>()
  const update = (change: Partial<GpuStatus>) => {
    status = { ...status, ...change }
    for (const listener of listeners) listener(status)
  }
  return {
    status: () => status,
    probe: () => {
      probing ??= probeWebGpu().then((support) => {
        update({ support })
        return support
      })
      return probing
    },
    subscribe: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    setLastRun: (run) => update({ lastRun: run }),
  }
}
