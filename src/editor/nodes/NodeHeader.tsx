import { useCallback, useState } from 'react'
import type { AnyNodeDefinition } from '../../engine/define-node'
import type { GraphNode } from '../../engine/document'
import type { NodeRun } from '../run/run-store'
import type { EditorServices } from '../services'
import { stopDrag, useOpenSettings } from './hooks'
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
  /** How many of its settings fold away (0: no Settings button). */
  folded: number
}) {
  const { node, def, run, services, folded } = props
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
        {folded > 0 && <SettingsToggle id={node.id} count={folded} services={services} />}
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

/** Unfolds the node's settings under its ports (a button beside Run, so it costs no height). */
function SettingsToggle(props: { id: string; count: number; services: EditorServices }) {
  const { id, count, services } = props
  const open = useOpenSettings(services.settings, id)
  return (
    <button
      type="button"
      className="icon-button node-settings-toggle"
      data-testid="settings-toggle"
      aria-expanded={open}
      aria-label={open ? 'Hide settings' : `Show ${count} ${count === 1 ? 'setting' : 'settings'}`}
      title={
        open
          ? 'Fold the settings away'
          : `Show this node's ${count === 1 ? 'setting' : `${count} settings`}`
      }
      onClick={() => {
        services.settings.toggle(id)
        // Unfolded, it is wider and taller than its place: in front of its neighbours, and
        // brought whole into view (at the window's edge it would run past it, or under the
        // minimap) once it has grown.
        if (services.settings.isOpen(id)) {
          void services.canvas?.raise?.(id)
          requestAnimationFrame(() => void services.canvas?.reveal?.(id))
        }
      }}
    >
      ⚙
    </button>
  )
}
