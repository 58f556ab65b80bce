import { clear, createStore, delMany, get, keys, set, values, type UseStore } from 'idb-keyval'

/**
 * The few key-value operations the persistent caches need. In the browser it is one
 * idb-keyval store (one IndexedDB database each, as idb-keyval advises); Node tests use an
 * in-memory fake that can also play a full disk.
 */
export interface KeyValueStore<T> {
  get(key: string): Promise<T | undefined>
  set(key: string, value: T): Promise<void>
  delMany(keys: string[]): Promise<void>
  /** Keys only: cheap even when the values are large. */
  keys(): Promise<string[]>
  values(): Promise<T[]>
  clear(): Promise<void>
}

export function idbKeyValueStore<T>(dbName: string, storeName: string): KeyValueStore<T> {
  const store: UseStore = createStore(dbName, storeName)
  return {
    get: (key) => get<T>(key, store),
    set: (key, value) => set(key, value, store),
    delMany: (list) => (list.length > 0 ? delMany(list, store) : Promise.resolve()),
    keys: async () => (await keys(store)).map(String),
    values: () => values<T>(store),
    clear: () => clear(store),
  }
}

/** A full disk or origin quota, however the store reports it. */
export function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED'
}
