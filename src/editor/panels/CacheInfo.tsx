import { useEffect, useState } from 'react'
import type { RuntimeCacheStats } from '../../runtime/types'
import type { EditorServices } from '../services'

function megabytes(bytes: number): string {
  return bytes < 1e6
    ? `${Math.round(bytes / 1e3)} kB`
    : `${(bytes / 1e6).toFixed(bytes < 1e8 ? 1 : 0)} MB`
}

/**
 * What the cache holds (in memory and kept in this browser), refreshed after each run, and a
 * way to empty it. Results are keyed by content, so a cleared cache only costs time.
 */
export function CacheInfo({ services, version }: { services: EditorServices; version: unknown }) {
  const [stats, setStats] = useState<RuntimeCacheStats | undefined>(undefined)
  const runtime = services.runtime()
  useEffect(() => {
    setStats(runtime?.cacheStats?.())
    const timer = setTimeout(() => setStats(runtime?.cacheStats?.()), 1500) // writes land later
    return () => clearTimeout(timer)
  }, [runtime, version])
  if (!runtime?.cacheStats || !stats) return <span className="status-cache">Cache: starting…</span>
  const kept = stats.persistent
  const title = [
    `In memory: ${stats.memory.entries} results, ${megabytes(stats.memory.bytes)}`,
    kept.available
      ? `Kept in this browser: ${kept.entries} results, ${megabytes(kept.bytes)} of ${megabytes(kept.maxBytes)}`
      : 'This browser gives no storage: results are kept until the page closes.',
    kept.lastError ? `Last problem: ${kept.lastError}` : '',
    'Unchanged nodes are never computed twice, even after a reload.',
  ]
    .filter(Boolean)
    .join('\n')
  return (
    <span className="status-cache" title={title} data-testid="cache-info">
      Cache:{' '}
      {kept.available
        ? `${kept.entries} results · ${megabytes(kept.bytes)}`
        : `${stats.memory.entries} in memory`}
      {runtime.clearCache && (
        <button
          type="button"
          className="link-button"
          onClick={() =>
            void runtime.clearCache?.().then(() => {
              setStats(runtime.cacheStats?.())
              services.ui.notify('Cache cleared: the next run computes everything again.', 'info')
            })
          }
        >
          Clear
        </button>
      )}
    </span>
  )
}
