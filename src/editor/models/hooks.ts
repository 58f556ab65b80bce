import { useCallback, useEffect, useState, useSyncExternalStore } from 'react'
import { gpuFacts } from '../../diffusion/browser/gpu-check'
import { listStoredModels, type StoredModel } from '../../diffusion/browser/model-store'
import type { GpuFacts } from '../../diffusion/manifests'
import { downloads, type DownloadState } from './downloads'

export interface BrowserFacts {
  gpu: GpuFacts
  /** Bytes this origin may still store (quota − usage), when the browser says. */
  freeBytes?: number
}

let gpu: Promise<GpuFacts> | undefined

async function freeBytes(): Promise<number | undefined> {
  const estimate = await navigator.storage?.estimate?.().catch(() => undefined)
  if (estimate?.quota === undefined) return undefined
  return Math.max(0, estimate.quota - (estimate.usage ?? 0))
}

/** What this browser's GPU (asked once per page) and storage (each `version`) offer. */
export function useBrowserFacts(version: unknown): BrowserFacts | undefined {
  const [value, setValue] = useState<BrowserFacts | undefined>(undefined)
  useEffect(() => {
    let live = true
    gpu ??= gpuFacts()
    void Promise.all([gpu, freeBytes()]).then(([g, free]) => {
      if (live) setValue({ gpu: g, freeBytes: free })
    })
    return () => {
      live = false
    }
  }, [version])
  return value
}

/** The models stored in this browser, listed again when a download settles or on `refresh`. */
export function useStoredModels(): { models: StoredModel[]; refresh: () => void } {
  const [models, setModels] = useState<StoredModel[]>([])
  const [version, setVersion] = useState(0)
  const settled = useSyncExternalStore(downloads.subscribe, downloads.settledCount)
  useEffect(() => {
    let live = true
    void listStoredModels()
      .then((list) => live && setModels(list.sort((a, b) => a.key.localeCompare(b.key))))
      .catch(() => live && setModels([]))
    return () => {
      live = false
    }
  }, [version, settled])
  const refresh = useCallback(() => setVersion((v) => v + 1), [])
  return { models, refresh }
}

export function useDownload(ref: string): DownloadState | undefined {
  const get = useCallback(() => downloads.get(ref), [ref])
  return useSyncExternalStore(downloads.subscribe, get)
}
