import { copySelection, deleteNodes, duplicate, toggleMode } from '../actions'
import { findNode } from '../../engine/document'
import { startRename } from '../nodes/rename'
import { roomMenuItems } from '../room/room-menu'
import type { EditorServices } from '../services'
import type { Point } from '../ui-store'
import { useDialog } from './dialog'

/** Right-click (or ⋯) menu of a node. */
export function NodeMenu({
  services,
  node,
  client,
}: {
  services: EditorServices
  node: string
  client: Point
}) {
  const close = () => services.ui.set({ menu: undefined })
  const menu = useDialog<HTMLUListElement>(close, { modal: false })
  const graphNode = findNode(services.store.doc, node)
  if (!graphNode) return null
  const selected = services.canvas?.selected() ?? []
  const ids = selected.includes(node) ? selected : [node]
  const item = (label: string, keys: string, action: () => void, danger = false) => (
    <li>
      <button
        type="button"
        className={danger ? 'danger' : ''}
        onClick={() => {
          close()
          action()
        }}
      >
        <span>{label}</span>
        <kbd>{keys}</kbd>
      </button>
    </li>
  )
  return (
    <ul
      className="node-menu"
      role="menu"
      aria-label="Node actions"
      ref={menu.ref}
      tabIndex={-1}
      onKeyDown={(e) => {
        menu.onKeyDown(e)
        const items = [...e.currentTarget.querySelectorAll('button')]
        const at = items.indexOf(document.activeElement as HTMLButtonElement)
        const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0
        if (step === 0) return
        e.preventDefault()
        items[(at + step + items.length) % items.length]?.focus()
      }}
      style={{
        left: Math.min(client.x, window.innerWidth - 230),
        top: Math.min(client.y, window.innerHeight - 280),
      }}
      onPointerDown={(e) => e.stopPropagation()}
    >
      {item('Run to here', '', () => void services.controller.run([node]))}
      {item('Rename', '', () => startRename(services, node))}
      {roomMenuItems(services, graphNode).map((entry) => item(entry.label, '', entry.action))}
      {item('Duplicate', 'Ctrl+D', () => void duplicate(services, ids))}
      {item('Copy', 'Ctrl+C', () => void copySelection(services, ids))}
      {item(graphNode.mode === 'bypass' ? 'Stop bypassing' : 'Bypass', 'Ctrl+B', () =>
        toggleMode(services, 'bypass', ids),
      )}
      {item(graphNode.mode === 'mute' ? 'Unmute' : 'Mute', 'Ctrl+M', () =>
        toggleMode(services, 'mute', ids),
      )}
      {item(
        ids.length > 1 ? `Delete ${ids.length} nodes` : 'Delete',
        'Del',
        () => deleteNodes(services, ids),
        true,
      )}
    </ul>
  )
}
