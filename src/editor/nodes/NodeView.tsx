import { useMemo, useRef } from 'react'
import type { RenderEmit } from 'rete-react-plugin'
import { ParamRow } from '../controls/ParamRow'
import { ModelRunInfo } from '../models/ModelRunInfo'
import { paramValue } from '../store/node-factory'
import { NodePreview } from '../preview/NodePreview'
import { NODE_WIDTH, type EditorNode, type Schemes } from '../canvas/schemes'
import { stopDrag, useGraphNode, useMissingInputs, useNodeRun, useNodeSize } from './hooks'
import { NodeHeader } from './NodeHeader'
import { NodeStatus } from './NodeStatus'
import { withMissing } from './missing-inputs'
import { withNodeNames } from './node-names'
import { Ports } from './Ports'

/** A node on the canvas, built from its definition and the document; Rete only places it. */
export function NodeView({ data, emit }: { data: EditorNode; emit: RenderEmit<Schemes> }) {
  const { services, def } = data
  const node = useGraphNode(services.store, data.id)
  const rawRun = useNodeRun(services.runs, data.id)
  const missing = useMissingInputs(services.store, data.id, def)
  // A node that only lacks a connection is waiting for the person, not broken.
  const run = useMemo(
    () => withMissing(rawRun, missing ? missing.split(',') : [], def),
    [rawRun, missing, def],
  )
  const ref = useRef<HTMLDivElement>(null)
  const portsTop = useNodeSize(ref, data)
  // A progress tick re-renders the node; its params only change with the node itself.
  const paramRows = useMemo(() => {
    const params = Object.entries(def.params)
    if (!node || params.length === 0) return null
    return (
      <div className="node-params" onPointerDown={stopDrag}>
        {params.map(([name, spec]) => (
          <ParamRow
            key={name}
            name={name}
            spec={spec}
            value={paramValue(node, def, name) ?? spec.default}
            node={node.id}
            services={services}
          />
        ))}
      </div>
    )
  }, [node, def, services])
  if (!node) return null
  const classes = ['node', `mode-${node.mode}`, `state-${run.state}`]
  if (data.selected) classes.push('selected')
  return (
    <div
      ref={ref}
      className={classes.join(' ')}
      data-node-id={node.id}
      data-node-type={def.type}
      data-testid="node"
      style={{ width: NODE_WIDTH }}
    >
      <NodeHeader node={node} def={def} run={run} services={services} />
      <Ports view={data} emit={emit} top={portsTop} />
      {paramRows}
      <NodeStatus
        run={run}
        names={(text) => withNodeNames(text, services.store.doc, services.registry)}
      />
      <ModelRunInfo node={node} def={def} run={run} services={services} />
      <div onPointerDown={stopDrag}>
        <NodePreview id={node.id} def={def} run={run} services={services} />
      </div>
    </div>
  )
}
