import { memo } from 'react'
import { Presets, type RenderEmit } from 'rete-react-plugin'
import { isOptionalInput, type AnyNodeDefinition } from '../../engine/define-node'
import type { EditorNode, Schemes } from '../canvas/schemes'

const { RefSocket } = Presets.classic

/**
 * Inputs down the left edge, outputs down the right, each with its socket. Memoised: each
 * render of a socket makes Rete measure its position again (a forced layout) and redraw its
 * connections, so a progress tick of the node must not re-render them. `top` (where the ports
 * sit in the node) and `wide` (the node widened with its settings) are props only so that the
 * sockets are measured again when they change.
 */
export const Ports = memo(function Ports({
  view,
  emit,
}: {
  view: EditorNode
  emit: RenderEmit<Schemes>
  top: number
  wide: boolean
}) {
  const def: AnyNodeDefinition = view.def
  const inputs = Object.entries(view.inputs)
  const outputs = Object.entries(view.outputs)
  if (inputs.length === 0 && outputs.length === 0) return null
  return (
    <div className="node-ports">
      <div className="node-inputs">
        {inputs.map(([key, input]) =>
          input ? (
            <div className="port port-in" key={key} data-port={key}>
              <RefSocket
                name="input-socket"
                side="input"
                socketKey={key}
                nodeId={view.id}
                emit={emit}
                payload={input.socket}
              />
              <span className="port-label">
                {key}
                {isOptionalInput(def.inputs[key]) && (
                  <span className="port-optional"> (optional)</span>
                )}
              </span>
            </div>
          ) : null,
        )}
      </div>
      <div className="node-outputs">
        {outputs.map(([key, output]) =>
          output ? (
            <div className="port port-out" key={key} data-port={key}>
              <span className="port-label">{key}</span>
              <RefSocket
                name="output-socket"
                side="output"
                socketKey={key}
                nodeId={view.id}
                emit={emit}
                payload={output.socket}
              />
            </div>
          ) : null,
        )}
      </div>
    </div>
  )
})
