import { describe, expect, it } from 'vitest'
import type { ValueCache } from '../../src/engine/cache'
import type { Computed } from '../../src/engine/codec'
import { WriteBehindCache } from '../../src/runtime/write-behind'

const num = (value: number): Computed => ({ outputs: { value: { kind: 'number', value } } })

/** A store whose writes finish only when the test says so. */
function slowStore() {
  const data = new Map<string, Computed>()
  const gates: (() => void)[] = []
  let opened = false
  const store: ValueCache = {
    get: (key) => Promise.resolve(data.get(key)),
    set: (key, outputs) =>
      new Promise<void>((resolve) => {
        const write = () => {
          data.set(key, outputs)
          resolve()
        }
        if (opened) write()
        else gates.push(write)
      }),
    clear: () => {
      data.clear()
      return Promise.resolve()
    },
  }
  /** From now on writes complete; those waiting complete now. */
  const open = () => {
    opened = true
    for (const write of gates.splice(0)) write()
  }
  return { store, data, gates, open }
}

describe('WriteBehindCache', () => {
  it('returns from set before the slow store has written, and serves the pending value', async () => {
    const slow = slowStore()
    const cache = new WriteBehindCache(slow.store)
    await cache.set('k', num(1))
    expect(slow.data.has('k')).toBe(false)
    expect(await cache.get('k')).toEqual(num(1))
    expect(cache.pendingWrites).toBe(1)
    const flushed = cache.flush()
    slow.open()
    await flushed
    expect(slow.data.get('k')).toEqual(num(1))
    expect(cache.pendingWrites).toBe(0)
  })

  it('writes only the newest value of a key set twice', async () => {
    const slow = slowStore()
    const cache = new WriteBehindCache(slow.store)
    await cache.set('k', num(1))
    await cache.set('k', num(2))
    const flushed = cache.flush()
    slow.open()
    await flushed
    expect(slow.data.get('k')).toEqual(num(2))
  })

  it('reports write failures instead of throwing them at nobody', async () => {
    const errors: unknown[] = []
    const failing: ValueCache = {
      get: () => Promise.resolve(undefined),
      set: () => Promise.reject(new Error('disk on fire')),
    }
    const cache = new WriteBehindCache(failing, (e) => errors.push(e))
    await cache.set('k', num(1))
    await cache.flush()
    expect(errors).toHaveLength(1)
    expect(await cache.get('k')).toBeUndefined()
  })

  it('drops pending writes on clear', async () => {
    const slow = slowStore()
    const cache = new WriteBehindCache(slow.store)
    await cache.set('a', num(1))
    await cache.set('b', num(2))
    const cleared = cache.clear()
    slow.open()
    await cleared
    expect(slow.data.size).toBe(0)
    expect(await cache.get('b')).toBeUndefined()
  })
})
