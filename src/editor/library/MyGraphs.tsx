import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { withUnfolded } from '../nodes/open-settings'
import type { EditorServices } from '../services'
import type { SavedGraph } from './graph-library'
import {
  deleteEntry,
  editEntry,
  exportGraph,
  importFiles,
  openEntry,
  saveCurrent,
} from './library-actions'
import { outputsOf } from './PresetCards'
import { Thumbnail } from './Thumbnail'

const when = (ms: number) =>
  new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** My graphs: the graphs kept in this browser, to open, rename, annotate, export or delete. */
export function MyGraphs({
  services,
  highlight,
}: {
  services: EditorServices
  highlight?: string
}) {
  const { graphs, ui } = services.library
  const library = useSyncExternalStore(graphs.subscribe, graphs.getSnapshot)
  useSyncExternalStore(ui.subscribe, ui.getSnapshot)
  const picker = useRef<HTMLInputElement>(null)
  return (
    <div className="my-graphs" data-testid="my-graphs">
      <div className="my-graphs-bar">
        <button type="button" className="primary" onClick={() => void saveCurrent(services)}>
          Save the open graph
        </button>
        <button
          type="button"
          onClick={() => picker.current?.click()}
          title="A .json graph, or a PNG or WAV exported by Synesthete"
        >
          Import…
        </button>
        <button
          type="button"
          onClick={() =>
            exportGraph(
              withUnfolded(services.store.doc, services.settings),
              services.store.doc.name ?? 'graph',
            )
          }
          title="Download the open graph as a .json file"
        >
          Export the open graph
        </button>
        <span className="my-graphs-count">
          {library.entries.length === 1 ? '1 graph' : `${library.entries.length} graphs`} in this
          browser
        </span>
        <input
          ref={picker}
          type="file"
          hidden
          multiple
          accept=".json,application/json,.png,image/png,.wav,audio/wav"
          data-testid="import-input"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])]
            e.target.value = ''
            void importFiles(services, files, { open: false })
          }}
        />
      </div>
      {library.error && <p className="library-error">{library.error}</p>}
      {library.loaded && library.entries.length === 0 && !library.error && (
        <p className="my-graphs-empty">
          Nothing saved yet. Save the open graph, duplicate an example, or import a file: a .json
          graph, or a PNG or WAV made with Synesthete (it remembers its graph).
        </p>
      )}
      <ul className="my-graphs-list">
        {library.entries.map((entry) => (
          <EntryRow
            key={entry.id}
            services={services}
            entry={entry}
            isOpen={ui.currentId === entry.id}
            highlight={highlight === entry.id}
          />
        ))}
      </ul>
    </div>
  )
}

function EntryRow(props: {
  services: EditorServices
  entry: SavedGraph
  isOpen: boolean
  highlight: boolean
}) {
  const { services, entry, isOpen, highlight } = props
  const checked = useMemo(
    () => services.library.graphs.open(entry, services.registry),
    [services, entry],
  )
  const [name, setName] = useState(entry.name)
  const [notes, setNotes] = useState(entry.notes)
  const [confirming, setConfirming] = useState(false)
  const nameInput = useRef<HTMLInputElement>(null)
  const row = useRef<HTMLLIElement>(null)
  useEffect(() => setName(entry.name), [entry.name])
  useEffect(() => setNotes(entry.notes), [entry.notes])
  useEffect(() => {
    if (highlight) row.current?.scrollIntoView({ block: 'nearest' })
  }, [highlight])
  const commitName = () => {
    const next = name.trim()
    if (next && next !== entry.name) void editEntry(services, entry, { name: next })
    else setName(entry.name)
  }
  const commitNotes = () => {
    if (notes !== entry.notes) void editEntry(services, entry, { notes })
  }
  return (
    <li ref={row} className={`entry${highlight ? ' entry-highlight' : ''}`} data-entry={entry.name}>
      <Thumbnail
        graph={checked.ok ? checked.graph : undefined}
        registry={services.registry}
        label={entry.name}
      />
      <div className="entry-main">
        <div className="entry-title">
          <input
            ref={nameInput}
            type="text"
            className="entry-name"
            value={name}
            maxLength={200}
            aria-label="Name"
            onChange={(e) => setName(e.target.value)}
            onBlur={commitName}
            onKeyDown={(e) => {
              if (e.key === 'Enter') e.currentTarget.blur()
              if (e.key === 'Escape') setName(entry.name)
            }}
          />
          {isOpen && <span className="entry-badge">open now</span>}
        </div>
        <textarea
          className="entry-notes"
          value={notes}
          rows={2}
          aria-label="Notes"
          placeholder="Notes: what this does, what to try next…"
          onChange={(e) => setNotes(e.target.value)}
          onBlur={commitNotes}
        />
        <p className="entry-meta">
          {checked.ok
            ? `${checked.graph.nodes.length} nodes · ${outputsOf(checked.graph, services.registry)} · saved ${when(entry.updatedAt)}`
            : `Cannot be opened: ${checked.problems[0]?.message ?? 'unknown problem'}`}
        </p>
      </div>
      <div className="entry-actions">
        {confirming ? (
          <>
            <span className="entry-confirm">Delete “{entry.name}”?</span>
            <button
              type="button"
              className="danger"
              onClick={() => void deleteEntry(services, entry)}
            >
              Delete
            </button>
            <button type="button" onClick={() => setConfirming(false)} autoFocus>
              Keep
            </button>
          </>
        ) : (
          <>
            <button
              type="button"
              className="primary"
              disabled={!checked.ok}
              onClick={() => {
                services.library.ui.set({ browser: undefined })
                void openEntry(services, entry)
              }}
            >
              Open
            </button>
            <button type="button" onClick={() => nameInput.current?.select()}>
              Rename
            </button>
            <button
              type="button"
              onClick={() => exportGraph(entry.graph, entry.name)}
              title="Download as a .json file"
            >
              Export
            </button>
            <button type="button" onClick={() => setConfirming(true)}>
              Delete
            </button>
          </>
        )}
      </div>
    </li>
  )
}
