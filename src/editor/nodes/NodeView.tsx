import { useMemo, useRef, type KeyboardEvent } from 'react'
import type { RenderEmit } from 'rete-react-plugin'
import { ParamRow } from '../controls/ParamRow'
import { ModelRunInfo } from '../models/ModelRunInfo'
import { paramValue } from '../../engine/params'
import { NodePreview } from '../preview/NodePreview'
import { NODE_WIDTH, type EditorNode, type Schemes } from '../canvas/schemes'
import type { EditorServices } from '../services'
import {
  stopDrag,
  useGraphNode,
  useMissingInputs,
  useNodeRun,
  useNodeSize,
  useOpenSettings,
  useUsedOutputs,
} from './hooks'
import { alwaysShown } from './open-settings'
import { openLayoutOf } from './open-width'
import { NodeHeader } from './NodeHeader'
import { NodeStatus } from './NodeStatus'
import { withMissing } from './missing-inputs'
import { withNodeNames } from './node-names'
import { Ports } from './Ports'

/**
 * Arrow keys: the node whose middle is nearest in that direction (closer to the line wins),
 * looking first within 60° either side of it, so a taller neighbour beside this node, whose
 * middle lies a little lower, is not what Down reaches.
 */
function nextNode(from: HTMLElement, key: string): HTMLElement | undefined {
  const [dx, dy] = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] }[
    key
  ] ?? [0, 0]
  const mid = (r: DOMRect) => ({ x: r.left + r.width / 2, y: r.top + r.height / 2 })
  const here = mid(from.getBoundingClientRect())
  let best: { el: HTMLElement; score: number } | undefined
  let inCone: { el: HTMLElement; score: number } | undefined
  for (const el of document.querySelectorAll<HTMLElement>('[data-testid="node"]')) {
    if (el === from) continue
    const there = mid(el.getBoundingClientRect())
    const along = (there.x - here.x) * dx + (there.y - here.y) * dy
    const across = Math.abs((there.x - here.x) * dy) + Math.abs((there.y - here.y) * dx)
    if (along <= 0) continue
    const score = along + 2 * across
    if (!best || score < best.score) best = { el, score }
    // tan 60° ≈ 1.73: within 60° of the arrow's direction.
    if (across <= 1.73 * along && (!inCone || score < inCone.score)) inCone = { el, score }
  }
  return (inCone ?? best)?.el
}

/**
 * Keys on a focused node (not on a control inside it): arrows move to the neighbouring node,
 * Enter or Space selects it (Space on a selected node plays it, as everywhere on the canvas).
 */
function onNodeKey(
  event: KeyboardEvent<HTMLDivElement>,
  id: string,
  selected: boolean,
  services: EditorServices,
): void {
  if (event.target !== event.currentTarget || event.ctrlKey || event.metaKey || event.altKey) return
  if (event.key === 'Enter' || (event.key === ' ' && !selected)) {
    event.preventDefault()
    event.stopPropagation()
    void services.canvas?.select([id])
    return
  }
  if (!event.key.startsWith('Arrow')) return
  const next = nextNode(event.currentTarget, event.key)
  event.preventDefault()
  event.stopPropagation()
  next?.focus({ preventScroll: true })
}

/** A node on the canvas, built from its definition and the document; Rete only places it. */
export function NodeView({ data, emit }: { data: EditorNode; emit: RenderEmit<Schemes> }) {
  const { services, def } = data
  const node = useGraphNode(services.store, data.id)
  const rawRun = useNodeRun(services.runs, data.id)
  const missing = useMissingInputs(services.store, data.id, def)
  const usedOutputs = useUsedOutputs(services.store, data.id)
  const used = useMemo(() => (usedOutputs ? usedOutputs.split(',') : []), [usedOutputs])
  // A node that only lacks a connection is waiting for the person, not broken.
  const run = useMemo(
    () => withMissing(rawRun, missing ? missing.split(',') : [], def),
    [rawRun, missing, def],
  )
  const ref = useRef<HTMLDivElement>(null)
  const portsTop = useNodeSize(ref, data)
  const open = useOpenSettings(services.settings, data.id)
  const folded = useMemo(() => {
    const params = Object.entries(def.params)
    return params.length - alwaysShown(params).size
  }, [def])
  // Measured once per node kind, when one is first unfolded.
  const layout = useMemo(() => (open ? openLayoutOf(def) : undefined), [open, def])
  // A progress tick re-renders the node; its params only change with the node itself.
  const paramRows = useMemo(() => {
    const params = Object.entries(def.params)
    if (!node || params.length === 0) return null
    const row = ([name, spec]: (typeof params)[number]) => (
      <ParamRow
        key={name}
        name={name}
        spec={spec}
        value={paramValue(spec, node.params, name) ?? spec.default}
        node={node.id}
        services={services}
        wide={layout?.wide.has(name)}
      />
    )
    const shown = alwaysShown(params)
    const rows = params.filter(([name]) => open || shown.has(name))
    if (rows.length === 0) return null
    return (
      <div className="node-params" onPointerDown={stopDrag}>
        {rows.map(row)}
      </div>
    )
  }, [node, def, services, open, layout])
  if (!node) return null
  const classes = ['node', `mode-${node.mode}`, `state-${run.state}`]
  // An output node's preview repeats its input's: it is drawn as a strip (styles/node.css).
  if (def.export) classes.push('node-output')
  if (data.selected) classes.push('selected')
  const title = node.label ?? def.title
  return (
    <div
      ref={ref}
      className={classes.join(' ')}
      data-node-id={node.id}
      data-node-type={def.type}
      data-testid="node"
      style={{ width: layout?.width ?? NODE_WIDTH }}
      tabIndex={0}
      role="group"
      aria-roledescription="node"
      aria-label={`${title}${node.label ? ` (${def.title})` : ''}${data.selected ? ', selected' : ''}`}
      onFocus={(e) => {
        if (e.target === e.currentTarget) void services.canvas?.reveal?.(node.id)
      }}
      onKeyDown={(e) => onNodeKey(e, node.id, data.selected === true, services)}
    >
      <NodeHeader node={node} def={def} run={run} services={services} folded={folded} />
      <Ports view={data} emit={emit} top={portsTop} wide={open} />
      {paramRows}
      <NodeStatus
        run={run}
        names={(text) => withNodeNames(text, services.store.doc, services.registry)}
      />
      <ModelRunInfo node={node} def={def} run={run} services={services} />
      <div onPointerDown={stopDrag}>
        <NodePreview id={node.id} def={def} run={run} services={services} used={used} />
      </div>
    </div>
  )
}
