import type { TextParam } from '../../engine/params'
import type { EditorServices } from '../services'
import { describeModelRef } from './model-ref'
import { openModelPanel } from './panel-store'
import './models.css'

/**
 * The control of a `widget: 'model'` param: the model's name, marked when it is the noise-making
 * tiny model, and a button to the model panel (which edits the param through the store).
 */
export function ModelPicker(props: {
  spec: TextParam
  value: string
  label: string
  node: string
  param: string
  services: EditorServices
}) {
  const { spec, value, label, node, param, services } = props
  // An empty Model B means "model A again"; an empty Model means the tiny model.
  const info = describeModelRef(value, spec.default === '' ? 'same' : 'tiny')
  return (
    <div className="control-model" data-testid="model-picker">
      <span className={`model-chip model-chip-${info.kind}`} title={`${info.detail}\n${value}`}>
        {info.label}
        {info.warning && <em className="model-chip-warning"> · {info.warning}</em>}
      </span>
      <button
        type="button"
        aria-label={`Choose ${label}`}
        onClick={() => openModelPanel(services, { node, param })}
      >
        Choose…
      </button>
    </div>
  )
}
