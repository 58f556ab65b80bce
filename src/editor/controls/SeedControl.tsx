import type { SeedParam } from '../../engine/params'
import { NumberField } from './NumberField'

/** A die showing five, drawn inline: the 🎲 emoji is an empty box where no emoji font is. */
function DieIcon() {
  const pips = [
    [5, 5],
    [11, 5],
    [8, 8],
    [5, 11],
    [11, 11],
  ]
  return (
    <svg className="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <rect x="1.5" y="1.5" width="13" height="13" rx="3" fill="none" stroke="currentColor" />
      {pips.map(([cx, cy]) => (
        <circle key={`${cx},${cy}`} cx={cx} cy={cy} r="1.3" fill="currentColor" />
      ))}
    </svg>
  )
}

/** A seed: type one, or roll a new one. */
export function SeedControl(props: {
  spec: SeedParam
  value: number
  label: string
  onChange: (value: number, drag: boolean) => void
  onCommit: () => void
}) {
  const { spec, value, label, onChange, onCommit } = props
  return (
    <div className="control-seed">
      <NumberField
        spec={spec}
        value={value}
        label={label}
        onChange={onChange}
        onCommit={onCommit}
      />
      <button
        type="button"
        className="icon-button"
        title="Pick a new random seed"
        aria-label="Randomise seed"
        onClick={() => onChange(Math.floor(Math.random() * 2 ** 31), false)}
      >
        <DieIcon />
      </button>
    </div>
  )
}
