import { useEffect, useMemo, useReducer } from 'react'
import type { EncodedRef } from '../../engine/codec'
import { byteSizeOf } from '../../engine/values'
import { thumbDataOf, type ThumbData, type ThumbDataOf, type ThumbValue } from './thumb-data'
import type { ThumbReply, ThumbRequest } from './thumb-host'

/** Values below this are previewed on the page: a few milliseconds, and no empty frame. */
const INLINE_BYTES = 1024 * 1024

export interface ThumbMaker {
  /**
   * The preview if it is made or cheap to make now; undefined while a worker makes it from
   * `stored`, where the value's bytes already sit encoded (its run's result, see storedRef).
   */
  now<V extends ThumbValue>(value: V, stored?: EncodedRef): ThumbDataOf<V> | undefined
  /** Settles once `now(value)` has the preview. */
  later(value: ThumbValue, stored?: EncodedRef): Promise<void>
  /**
   * Starts the worker now. Started on first use, it loaded its modules while the graph's nodes
   * had both cores, and the first large previews stayed blank for seconds after their values.
   */
  prewarm(): void
}

/**
 * Node previews, made once per value. A large value that came from a worker or from
 * IndexedDB has its bytes in a cache Blob (its run's `encoded`): a worker of ours reads that
 * Blob and sends back a few kilobytes of peaks or pixels, so the page never walks the value
 * (a 3-minute stereo waveform is 250 ms of page time). Without a worker or a Blob, or if
 * the worker fails, the preview is made on the page as before.
 */
export function createThumbMaker(createWorker?: () => Worker): ThumbMaker {
  const made = new WeakMap<ThumbValue, ThumbData>()
  const making = new WeakMap<ThumbValue, Promise<void>>()
  let worker: Worker | undefined
  let usable = createWorker !== undefined
  let nextId = 1
  const waiting = new Map<number, { resolve(d: ThumbData): void; reject(e: Error): void }>()

  const start = (create: () => Worker): Worker => {
    const w = create()
    w.addEventListener('message', (event: MessageEvent<ThumbReply>) => {
      const reply = event.data
      const pending = waiting.get(reply.id)
      waiting.delete(reply.id)
      if ('data' in reply) pending?.resolve(reply.data)
      else pending?.reject(new Error(reply.error))
    })
    w.addEventListener('error', (event) => {
      event.preventDefault()
      w.terminate()
      if (worker === w) worker = undefined
      for (const pending of waiting.values()) pending.reject(new Error('thumbnail worker died'))
      waiting.clear()
    })
    return w
  }

  const inWorker = (request: Omit<ThumbRequest, 'id'>): Promise<ThumbData> => {
    if (!createWorker) return Promise.reject(new Error('no thumbnail worker'))
    try {
      worker ??= start(createWorker)
    } catch (error) {
      usable = false // workers are blocked here: every preview is made on the page
      return Promise.reject(error instanceof Error ? error : new Error(String(error)))
    }
    const target = worker
    const id = nextId++
    return new Promise<ThumbData>((resolve, reject) => {
      waiting.set(id, { resolve, reject })
      target.postMessage({ id, ...request } satisfies ThumbRequest)
    })
  }

  const here = <V extends ThumbValue>(value: V): ThumbDataOf<V> => {
    const data = thumbDataOf(value)
    made.set(value, data)
    return data
  }

  return {
    prewarm: () => {
      if (!createWorker || worker) return
      try {
        worker = start(createWorker)
      } catch {
        usable = false
      }
    },
    now: <V extends ThumbValue>(value: V, stored?: EncodedRef) => {
      const known = made.get(value) as ThumbDataOf<V> | undefined
      if (known) return known
      if (usable && stored && byteSizeOf(value) >= INLINE_BYTES) return undefined
      return here(value)
    },
    later: (value, stored) => {
      let promise = making.get(value)
      if (!promise) {
        promise = (
          stored ? inWorker({ blob: stored.blob, port: stored.port }) : Promise.reject(new Error())
        )
          .then((data) => void made.set(value, data))
          .catch(() => void here(value)) // a worker that failed: the page makes it after all
        making.set(value, promise)
      }
      return promise
    },
  }
}

const pageMaker = createThumbMaker(
  typeof Worker === 'undefined'
    ? undefined
    : () => new Worker(new URL('./thumbs.worker.ts', import.meta.url), { type: 'module' }),
)
pageMaker.prewarm()

/**
 * A value's preview data for a node thumbnail; undefined for the moment a worker is making
 * it from `stored` (the thumbnail then shows an empty frame of the same size).
 */
export function useThumbData<V extends ThumbValue>(
  value: V,
  stored?: EncodedRef,
  maker: ThumbMaker = pageMaker,
): ThumbDataOf<V> | undefined {
  const [, arrived] = useReducer((n: number) => n + 1, 0)
  const blob = stored?.blob
  const port = stored?.port
  const now = useMemo(
    () => maker.now(value, blob && port !== undefined ? { blob, port } : undefined),
    [maker, value, blob, port],
  )
  useEffect(() => {
    if (now) return
    let live = true
    void maker.later(value, blob && port !== undefined ? { blob, port } : undefined).then(() => {
      if (live) arrived()
    })
    return () => {
      live = false
    }
  }, [maker, value, now, blob, port])
  return now ?? maker.now(value)
}
