import { useState } from 'react'
import type { FloatParam, IntParam, SeedParam } from '../../engine/params'
import { formatNumber } from '../preview/format'
import { zeroLabel } from './zero-label'

/**
 * A number box that lets you type freely and only stores valid values, clamped to the range;
 * Enter or leaving the box commits, Escape gives back the stored value. Where 0 means "work it
 * out" it shows that word ("auto") instead of a bare 0, and typing the word sets 0.
 */
export function NumberField(props: {
  spec: IntParam | FloatParam | SeedParam
  value: number
  label: string
  onChange: (value: number, drag: boolean) => void
  onCommit: () => void
}) {
  const { spec, value, label, onChange, onCommit } = props
  const [draft, setDraft] = useState<string | undefined>(undefined)
  const min = spec.type === 'seed' ? 0 : spec.min
  const max = spec.type === 'seed' ? undefined : spec.max
  const clamp = (n: number) => {
    let v = spec.type === 'float' ? n : Math.round(n)
    if (min !== undefined) v = Math.max(min, v)
    if (max !== undefined) v = Math.min(max, v)
    return v
  }
  const zero = zeroLabel(spec)
  const word = value === 0 ? zero : undefined
  const showsWord = word !== undefined && draft === undefined
  const commit = () => {
    if (draft !== undefined) {
      const typed = draft.trim()
      const n = zero !== undefined && typed.toLowerCase() === zero.toLowerCase() ? 0 : Number(typed)
      if (typed !== '' && Number.isFinite(n)) onChange(clamp(n), true)
    }
    setDraft(undefined)
    onCommit()
  }
  return (
    <span className="number-field">
      <input
        type="text"
        inputMode="decimal"
        aria-label={label}
        className={showsWord ? 'number-word' : undefined}
        value={draft ?? word ?? formatNumber(value)}
        onFocus={(e) => {
          if (showsWord) e.currentTarget.select() // typing a number replaces the word
        }}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') (e.target as HTMLInputElement).blur()
          if (e.key === 'Escape') setDraft(undefined)
          if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
            e.preventDefault()
            const step = spec.type === 'seed' ? 1 : (spec.step ?? (spec.type === 'int' ? 1 : 0.01))
            onChange(clamp(value + (e.key === 'ArrowUp' ? step : -step)), true)
          }
        }}
      />
      {spec.unit && (
        // Hidden, not removed, beside a word: "auto samples" reads oddly, but rows stay aligned.
        <span className={showsWord ? 'unit unit-hidden' : 'unit'}>{spec.unit}</span>
      )}
    </span>
  )
}
