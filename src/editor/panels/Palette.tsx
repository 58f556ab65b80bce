import { useEffect, useMemo, useRef, useState } from 'react'
import { addNode } from '../actions'
import { KIND_COLORS, KIND_LABELS } from '../kinds'
import type { EditorServices } from '../services'
import type { PaletteRequest } from '../ui-store'
import { useDialog } from './dialog'
import { searchNodes } from './search'

/** The searchable list of node kinds that a double-click on the canvas opens (as in ComfyUI). */
export function Palette({
  services,
  request,
}: {
  services: EditorServices
  request: PaletteRequest
}) {
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  const list = useRef<HTMLUListElement>(null)
  const results = useMemo(
    () => searchNodes(services.registry.all(), query, request.from),
    [services, query, request.from],
  )
  const close = () => services.ui.set({ palette: undefined })
  const choose = (type: string) => {
    close()
    void addNode(services, type, { x: request.area.x - 20, y: request.area.y - 20 }, request.from)
  }
  const dialog = useDialog<HTMLDivElement>(close, { modal: false })
  useEffect(() => setActive(0), [query])
  useEffect(() => {
    list.current?.querySelector('.active')?.scrollIntoView({ block: 'nearest' })
  }, [active])

  const left = Math.min(request.client.x, window.innerWidth - 380)
  const top = Math.min(request.client.y, window.innerHeight - 420)
  const current = results[active]
  return (
    <div
      className="palette"
      style={{ left, top }}
      role="dialog"
      aria-label="Add a node"
      data-testid="palette"
      ref={dialog.ref}
      tabIndex={-1}
      onKeyDown={dialog.onKeyDown}
      onPointerDown={(e) => e.stopPropagation()}
    >
      <input
        autoFocus
        className="palette-search"
        placeholder={
          request.from
            ? `Nodes that take ${KIND_LABELS[request.from.kind].toLowerCase()}…`
            : 'Search nodes…'
        }
        aria-label="Search nodes"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((i) => Math.min(results.length - 1, i + 1))
          else if (e.key === 'ArrowUp') setActive((i) => Math.max(0, i - 1))
          else if (e.key === 'Enter' && current) choose(current.type)
          else if (e.key === 'Escape') close()
          else return
          e.preventDefault()
        }}
      />
      {request.from && (
        <div className="palette-from">
          <span className="dot" style={{ background: KIND_COLORS[request.from.kind] }} /> connects
          to the {KIND_LABELS[request.from.kind].toLowerCase()} you dragged
        </div>
      )}
      <ul ref={list} className="palette-list" role="listbox">
        {results.map((def, i) => (
          <li
            key={def.type}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : ''}
            onMouseEnter={() => setActive(i)}
            onClick={() => choose(def.type)}
          >
            <span className="palette-title">{def.title}</span>
            <span className="palette-category">{def.category}</span>
          </li>
        ))}
        {results.length === 0 && <li className="palette-none">No node matches “{query}”.</li>}
      </ul>
      {current && <div className="palette-description">{current.description}</div>}
    </div>
  )
}
