import { useMemo, useState } from 'react'
import { addNode } from '../actions'
import { NODE_DRAG_TYPE } from '../canvas/Canvas'
import type { EditorServices } from '../services'
import { PresetList } from './PresetList'
import { byCategory, searchNodes } from './search'

/** The side library: node kinds by category, to drag onto the canvas or click to add. */
export function Library({ services }: { services: EditorServices }) {
  const [query, setQuery] = useState('')
  const groups = useMemo(
    () => byCategory(searchNodes(services.registry.all(), query)),
    [services, query],
  )
  return (
    <aside className="library" aria-label="Node library">
      <div className="library-head">
        <h2>Nodes</h2>
        <input
          type="search"
          placeholder="Filter…"
          aria-label="Filter nodes"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
      <div className="library-scroll">
        {groups.map(([category, defs]) => (
          <section key={category} className="library-group">
            <h3>{category}</h3>
            {defs.map((def) => (
              <button
                type="button"
                key={def.type}
                className="library-item"
                draggable
                title={`${def.description}\n\nDrag onto the canvas, or click to add.`}
                data-node-type={def.type}
                onDragStart={(e) => {
                  e.dataTransfer.setData(NODE_DRAG_TYPE, def.type)
                  e.dataTransfer.effectAllowed = 'copy'
                }}
                onClick={() => {
                  const at = services.canvas?.center() ?? { x: 0, y: 0 }
                  void addNode(services, def.type, { x: at.x - 130, y: at.y - 60 })
                }}
              >
                {def.title}
              </button>
            ))}
          </section>
        ))}
        {groups.length === 0 && <p className="library-empty">No node matches “{query}”.</p>}
        <PresetList services={services} />
      </div>
    </aside>
  )
}
