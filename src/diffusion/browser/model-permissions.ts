import { createStore, get, set, type UseStore } from 'idb-keyval'
import { RemoteModelNotAllowed } from '../remote-permission'

/**
 * The model addresses this browser's user allowed to download (see remote-permission.ts).
 * Kept in IndexedDB, which the page and the GPU worker share: the page asks, the worker's
 * download checks. Keyed by the model's base address, ending in '/'.
 */

let store: UseStore | undefined
const KEY = 'allowed'

function permissions(): UseStore | undefined {
  if (typeof indexedDB === 'undefined') return undefined
  store ??= createStore('synesthete-model-permissions', 'permissions')
  return store
}

const withSlash = (base: string) => (base.endsWith('/') ? base : `${base}/`)

/** Allowed within this page only, where IndexedDB is missing (and for Node tests). */
const inMemory = new Set<string>()

async function allowedList(): Promise<string[]> {
  const db = permissions()
  if (!db) return [...inMemory]
  try {
    return ((await get<string[]>(KEY, db)) ?? []).concat([...inMemory])
  } catch {
    return [...inMemory] // storage blocked: ask again rather than assume
  }
}

export async function isModelDownloadAllowed(base: string): Promise<boolean> {
  return (await allowedList()).includes(withSlash(base))
}

/** The person allowed downloads from this model address (a prompt, the model panel). */
export async function allowModelDownload(base: string): Promise<void> {
  const root = withSlash(base)
  inMemory.add(root)
  const db = permissions()
  if (!db) return
  try {
    const list = (await get<string[]>(KEY, db)) ?? []
    if (!list.includes(root)) await set(KEY, [...list, root], db)
  } catch {
    // storage blocked: allowed for this page, asked again next time
  }
}

/** Before a download from `base`: throws, fetching nothing, unless the person allowed it. */
export async function requireModelDownloadAllowed(base: string): Promise<void> {
  if (await isModelDownloadAllowed(base)) return
  throw new RemoteModelNotAllowed(
    withSlash(base),
    'Allow the download when the editor asks, or choose another model with “Choose…”.',
  )
}
