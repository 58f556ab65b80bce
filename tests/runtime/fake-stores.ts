import type { KeyValueStore } from '../../src/runtime/kv-store'
import type { CacheIndexEntry, PersistentStores } from '../../src/runtime/idb-cache'

/** A disk that fills up: writes past `limit` bytes fail as IndexedDB's do. */
export interface FakeQuota {
  limit: number
  used: number
}

/** IndexedDB clones what it stores; Blobs are immutable, so keeping them shows identity. */
const clone = <T>(value: T): T => (value instanceof Blob ? value : structuredClone(value))

/** An in-memory stand-in for one idb-keyval store, structured-cloning like IndexedDB. */
export function memoryStore<T>(
  sizeOf: (value: T) => number = () => 0,
  quota?: FakeQuota,
): KeyValueStore<T> & { map: Map<string, T>; writes: number } {
  const map = new Map<string, T>()
  const size = (key: string) => (map.has(key) ? sizeOf(map.get(key) as T) : 0)
  const store = {
    map,
    writes: 0,
    get: (key: string) => Promise.resolve(map.has(key) ? clone(map.get(key)) : undefined),
    set: (key: string, value: T) => {
      const grow = sizeOf(value) - size(key)
      if (quota && quota.used + grow > quota.limit) {
        return Promise.reject(
          new DOMException('The quota has been exceeded.', 'QuotaExceededError'),
        )
      }
      if (quota) quota.used += grow
      map.set(key, clone(value))
      store.writes++
      return Promise.resolve()
    },
    delMany: (keys: string[]) => {
      for (const key of keys) {
        if (quota) quota.used -= size(key)
        map.delete(key)
      }
      return Promise.resolve()
    },
    keys: () => Promise.resolve([...map.keys()]),
    values: () => Promise.resolve([...map.values()].map((v) => clone(v))),
    clear: () => {
      if (quota) for (const key of map.keys()) quota.used -= size(key)
      map.clear()
      return Promise.resolve()
    },
  }
  return store
}

export function memoryCacheStores(quota?: FakeQuota) {
  const values = memoryStore<Blob | Uint8Array>(
    (v) => (v instanceof Blob ? v.size : v.byteLength),
    quota,
  )
  const index = memoryStore<CacheIndexEntry>()
  return { values, index } satisfies PersistentStores
}
