import type { ParamSpec, StoredParamValue } from '../../engine/params'
import { ModelPicker } from '../models/ModelPicker'
import type { EditorServices } from '../services'
import { FileControl } from './FileControl'
import { NumberField } from './NumberField'
import { RangeControl } from './RangeControl'
import { SeedControl } from './SeedControl'
import { TextControl } from './TextControl'
import { useSetParam } from './use-param'

/** Its whole label, what it does, its range and default, for its tooltip. */
export function paramTooltip(spec: ParamSpec, label?: string): string {
  const lines = [label ?? '', spec.description ?? '']
  const unit = spec.unit ? ` ${spec.unit}` : ''
  if (
    (spec.type === 'int' || spec.type === 'float') &&
    (spec.min !== undefined || spec.max !== undefined)
  )
    lines.push(`Range: ${spec.min ?? '−∞'} to ${spec.max ?? '∞'}${unit}`)
  if (spec.type !== 'file' && spec.type !== 'text')
    lines.push(`Default: ${String(spec.default)}${unit}`)
  return lines.filter(Boolean).join('\n')
}

/** One param: its label (with a tooltip) and the control that fits its type. */
export function ParamRow(props: {
  spec: ParamSpec
  name: string
  value: StoredParamValue
  node: string
  services: EditorServices
  /** Across the node under its label (a choice whose options would be cut beside it). */
  wide?: boolean
}) {
  const { spec, name, value, node, services } = props
  const { set, seal } = useSetParam(services, node, name)
  const label = spec.label ?? name
  const wide =
    props.wide === true ||
    spec.type === 'file' ||
    (spec.type === 'text' && (spec.multiline || spec.widget === 'model'))
  return (
    <div className={`param param-${spec.type}${wide ? ' param-wide' : ''}`} data-param={name}>
      <label className="param-label" title={paramTooltip(spec, label)}>
        {label}
      </label>
      <div className="param-control">{control()}</div>
    </div>
  )

  function control() {
    switch (spec.type) {
      case 'int':
      case 'float':
        return spec.min !== undefined && spec.max !== undefined ? (
          <RangeControl
            spec={spec}
            value={Number(value)}
            label={label}
            onChange={set}
            onCommit={seal}
          />
        ) : (
          <NumberField
            spec={spec}
            value={Number(value)}
            label={label}
            onChange={set}
            onCommit={seal}
          />
        )
      case 'seed':
        return (
          <SeedControl
            spec={spec}
            value={Number(value)}
            label={label}
            onChange={set}
            onCommit={seal}
          />
        )
      case 'choice': {
        // A select cut short by a narrow node still tells its whole choice on hover.
        const chosen = spec.optionLabels?.[String(value)] ?? String(value)
        return (
          <select
            aria-label={label}
            title={chosen}
            value={String(value)}
            onChange={(e) => set(e.target.value)}
          >
            {spec.options.map((option) => (
              <option key={option} value={option}>
                {spec.optionLabels?.[option] ?? option}
              </option>
            ))}
          </select>
        )
      }
      case 'bool':
        return (
          <input
            type="checkbox"
            className="control-bool"
            aria-label={label}
            checked={value === true}
            onChange={(e) => set(e.target.checked)}
          />
        )
      case 'text':
        return spec.widget === 'model' ? (
          <ModelPicker
            spec={spec}
            value={String(value)}
            label={label}
            node={node}
            param={name}
            services={services}
          />
        ) : (
          <TextControl
            spec={spec}
            value={String(value)}
            label={label}
            onChange={set}
            onCommit={seal}
          />
        )
      case 'file':
        return (
          <FileControl
            spec={spec}
            value={String(value)}
            node={node}
            param={name}
            services={services}
          />
        )
    }
  }
}
