import { useEffect, useRef, useState } from 'react'
import { formatSize } from '../models/format'

/** Caps people pick from; decimal units, as the sizes shown everywhere else in the editor. */
const PRESETS = [256e6, 1e9, 4e9]

/** The runtime's own choice for this browser (half the origin's quota, at most 2 GiB). */
async function browserDefault(): Promise<number> {
  const { defaultCacheBytes } = await import('../../runtime')
  return defaultCacheBytes()
}

/**
 * How much the cache may keep in this browser: the use against the cap, and a small menu of
 * caps. The runtime remembers the choice across reloads and drops the oldest results at once
 * when the new cap is lower.
 */
export function CacheLimit(props: {
  usedBytes: number
  maxBytes: number
  setLimit: (bytes: number) => Promise<void>
}) {
  const { usedBytes, maxBytes, setLimit } = props
  const [open, setOpen] = useState(false)
  const [fallback, setFallback] = useState<number | undefined>(undefined)
  const ref = useRef<HTMLSpanElement>(null)

  useEffect(() => {
    if (!open) return
    void browserDefault().then(setFallback)
    const away = (event: PointerEvent) => {
      if (!ref.current?.contains(event.target as Node)) setOpen(false)
    }
    const escape = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false)
    }
    window.addEventListener('pointerdown', away, true)
    window.addEventListener('keydown', escape, true)
    return () => {
      window.removeEventListener('pointerdown', away, true)
      window.removeEventListener('keydown', escape, true)
    }
  }, [open])

  const choose = (bytes: number) => {
    setOpen(false)
    void setLimit(bytes)
  }
  const option = (bytes: number | undefined, label: string, testId: string) => (
    <li key={testId}>
      <button
        type="button"
        role="menuitemradio"
        aria-checked={bytes === maxBytes}
        disabled={bytes === undefined}
        data-testid={testId}
        onClick={() => bytes !== undefined && choose(bytes)}
      >
        <span className="cache-limit-check">{bytes === maxBytes ? '✓' : ''}</span>
        {label}
      </button>
    </li>
  )

  return (
    <span className="cache-limit" ref={ref}>
      <button
        type="button"
        className="link-button"
        aria-haspopup="menu"
        aria-expanded={open}
        title="Choose how much the cache may keep in this browser"
        aria-label={`Cache: ${formatSize(usedBytes)} of ${formatSize(maxBytes)}; choose how much it may keep`}
        data-testid="cache-limit"
        onClick={() => setOpen(!open)}
      >
        {formatSize(usedBytes)} of {formatSize(maxBytes)}
      </button>
      {open && (
        <div className="cache-limit-menu" role="menu" aria-label="Cache size">
          <p className="cache-limit-head">Keep up to</p>
          <ul>
            {PRESETS.map((bytes) => option(bytes, formatSize(bytes), `cache-limit-${bytes}`))}
            {option(
              fallback,
              fallback === undefined
                ? 'The browser’s default…'
                : `The browser’s default (${formatSize(fallback)})`,
              'cache-limit-default',
            )}
          </ul>
          <p className="cache-limit-note">
            When it is full, the results used longest ago make room. A dropped result only costs
            time: it is computed again when needed.
          </p>
        </div>
      )}
    </span>
  )
}
