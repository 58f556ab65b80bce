import type { FloatParam, IntParam } from '../../engine/params'
import { NumberField } from './NumberField'

const STEPS = 1000

function toSlider(spec: IntParam | FloatParam, value: number): number {
  const { min = 0, max = 1 } = spec
  if (spec.type === 'float' && spec.curve === 'log' && min > 0)
    return (STEPS * Math.log(value / min)) / Math.log(max / min)
  return (STEPS * (value - min)) / (max - min || 1)
}

function fromSlider(spec: IntParam | FloatParam, position: number): number {
  const { min = 0, max = 1 } = spec
  const t = position / STEPS
  let value =
    spec.type === 'float' && spec.curve === 'log' && min > 0
      ? min * Math.pow(max / min, t)
      : min + t * (max - min)
  if (spec.type === 'int') value = Math.round(value)
  else if (spec.step) value = Math.round(value / spec.step) * spec.step
  else value = Number(value.toPrecision(4))
  return Math.min(max, Math.max(min, value))
}

/** A slider with a number beside it, for params with a range. */
export function RangeControl(props: {
  spec: IntParam | FloatParam
  value: number
  label: string
  onChange: (value: number, drag: boolean) => void
  onCommit: () => void
}) {
  const { spec, value, label, onChange, onCommit } = props
  return (
    <div className="control-range">
      <input
        type="range"
        aria-label={label}
        // The slider's own position is a step of 1000 (log for some params): say the value.
        aria-valuetext={spec.unit ? `${value} ${spec.unit}` : String(value)}
        min={0}
        max={STEPS}
        step={1}
        value={Math.round(toSlider(spec, value))}
        onChange={(e) => onChange(fromSlider(spec, Number(e.target.value)), true)}
        onPointerUp={onCommit}
        onKeyUp={onCommit}
      />
      <NumberField
        spec={spec}
        value={value}
        label={label}
        onChange={onChange}
        onCommit={onCommit}
      />
    </div>
  )
}
