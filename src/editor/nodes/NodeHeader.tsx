import { useCallback, useState } from 'react'
import type { AnyNodeDefinition } from '../../engine/define-node'
import type { GraphNode } from '../../engine/document'
import type { NodeRun } from '../run/run-store'
import type { EditorServices } from '../services'
import { stopDrag } from './hooks'
import { useRenameStarter } from './rename'
import { StateBadge } from './StateBadge'

/**
 * Title (double-click, or Rename in the node menu, to rename) with the state badge under it, and the run-to-here and menu
 * buttons.
 */
export function NodeHeader(props: {
  node: GraphNode
  def: AnyNodeDefinition
  run: NodeRun
  services: EditorServices
}) {
  const { node, def, run, services } = props
  const [editing, setEditing] = useState(false)
  useRenameStarter(
    services,
    node.id,
    useCallback(() => setEditing(true), []),
  )
  const title = node.label ?? def.title
  // The whole name first: a long one is cut after two lines.
  const tooltip = [
    title === def.title ? title : `${title} (${def.title})`,
    def.description,
    'Double-click to rename.',
  ].join('\n\n')
  const rename = (label: string) => {
    setEditing(false)
    services.store.dispatch({
      type: 'setLabel',
      node: node.id,
      label: label === def.title ? undefined : label,
    })
  }
  return (
    <header className="node-header">
      <div className="node-heading">
        {editing ? (
          <input
            className="node-rename"
            autoFocus
            defaultValue={title}
            onFocus={(e) => e.currentTarget.select()}
            aria-label="Node name"
            onPointerDown={stopDrag}
            onBlur={(e) => rename(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') rename(e.currentTarget.value)
              if (e.key === 'Escape') setEditing(false)
            }}
          />
        ) : (
          <span
            className="node-title"
            data-testid="node-title"
            title={tooltip}
            onDoubleClick={(e) => {
              e.stopPropagation()
              setEditing(true)
            }}
          >
            {title}
          </span>
        )}
        {/* On a line of its own, so the state never squeezes the name; kept when empty, so
            nodes do not grow when a run starts. */}
        <span className="node-state">
          {/* Once a run has marked the node, its state says "Muted" already: said once. */}
          {node.mode !== 'normal' &&
            run.state !== (node.mode === 'mute' ? 'muted' : 'bypassed') && (
              <span className={`mode-tag mode-${node.mode}`}>
                {node.mode === 'bypass' ? 'Bypassed' : 'Muted'}
              </span>
            )}
          <StateBadge run={run} />
        </span>
      </div>
      <span className="node-actions" onPointerDown={stopDrag}>
        <button
          type="button"
          className="icon-button"
          title="Run to here: compute this node and what it needs"
          aria-label="Run to here"
          data-testid="run-to-here"
          onClick={() => void services.controller.run([node.id])}
        >
          ▶
        </button>
        <button
          type="button"
          className="icon-button"
          title="More: rename, duplicate, bypass, mute, delete"
          aria-label="Node menu"
          onClick={(e) =>
            services.ui.set({ menu: { node: node.id, client: { x: e.clientX, y: e.clientY } } })
          }
        >
          ⋯
        </button>
      </span>
    </header>
  )
}
