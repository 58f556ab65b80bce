import { useEffect, useState } from 'react'
import type { RuntimeCacheStats } from '../../runtime/types'
import { formatSize } from '../models/format'
import type { EditorServices } from '../services'
import { CacheLimit } from './CacheLimit'

/**
 * What the cache holds (in memory and kept in this browser) against its cap, refreshed after
 * each run, a way to change the cap and one to empty it. Results are keyed by content, so a
 * cleared cache only costs time.
 */
export function CacheInfo({ services, version }: { services: EditorServices; version: unknown }) {
  const [stats, setStats] = useState<RuntimeCacheStats | undefined>(undefined)
  const runtime = services.runtime()
  useEffect(() => {
    setStats(runtime?.cacheStats())
    const timer = setTimeout(() => setStats(runtime?.cacheStats()), 1500) // writes land later
    return () => clearTimeout(timer)
  }, [runtime, version])
  if (!runtime?.cacheStats || !stats) return <span className="status-cache">Cache: starting…</span>
  const kept = stats.persistent
  const title = [
    `In memory: ${stats.memory.entries} results, ${formatSize(stats.memory.bytes)}`,
    kept.available
      ? `Kept in this browser: ${kept.entries} results, ${formatSize(kept.bytes)} of ${formatSize(kept.maxBytes)}`
      : 'This browser gives no storage: results are kept until the page closes.',
    kept.lastError ? `Last problem: ${kept.lastError}` : '',
    'Unchanged nodes are never computed twice, even after a reload.',
  ]
    .filter(Boolean)
    .join('\n')
  return (
    <span className="status-cache" title={title} data-testid="cache-info">
      Cache: {kept.available ? `${kept.entries} results · ` : `${stats.memory.entries} in memory`}
      {kept.available && runtime.setCacheLimit ? (
        <CacheLimit
          usedBytes={kept.bytes}
          maxBytes={kept.maxBytes}
          setLimit={async (bytes) => {
            await runtime.setCacheLimit(bytes)
            setStats(runtime.cacheStats())
            services.ui.notify(
              `The cache keeps up to ${formatSize(bytes)} in this browser.`,
              'info',
            )
          }}
        />
      ) : (
        kept.available && formatSize(kept.bytes)
      )}
      {runtime.clearCache && (
        <button
          type="button"
          className="link-button"
          onClick={() =>
            void runtime.clearCache().then(() => {
              setStats(runtime.cacheStats())
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
