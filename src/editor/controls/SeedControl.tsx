import type { SeedParam } from '../../engine/params'
import { NumberField } from './NumberField'

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
        🎲
      </button>
    </div>
  )
}
