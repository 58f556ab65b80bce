import type { GraphDocument } from '../../engine/document'
import type { NodeRegistry } from '../../engine/registry'
import { parseGraphText } from '../../engine/validate'

export const AUTOSAVE_KEY = 'synesthete.autosave.graph'
/**
 * Which nodes show their settings, saved beside the autosaved graph (view state, not the
 * document: unfolding is not an edit). It names the graph text it belongs to, so a graph put in
 * the autosave by something else (an older tab, a test) never inherits another graph's nodes.
 */
export const AUTOSAVE_OPEN_KEY = 'synesthete.autosave.open'
/** Where an autosave that could not be read is kept, so the person can still get it back. */
export const BROKEN_AUTOSAVE_KEY = 'synesthete.autosave.unreadable'

/** The part of `Storage` we use; tests pass a Map-backed one. */
export interface KeyValueStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export type Restored =
  | { kind: 'none' }
  | { kind: 'restored'; graph: GraphDocument; notes: string[]; open: string[] }
  | { kind: 'unreadable'; text: string; problems: string[] }

/**
 * Reads the autosaved graph. Never throws: storage that cannot be read counts as nothing saved,
 * and a saved graph that fails validation is set aside (under `BROKEN_AUTOSAVE_KEY`) and
 * reported, so the app opens on the default graph instead of failing.
 */
export function restoreAutosave(storage: KeyValueStorage, registry: NodeRegistry): Restored {
  let text: string | null
  try {
    text = storage.getItem(AUTOSAVE_KEY)
  } catch {
    return { kind: 'none' }
  }
  if (text === null || text.trim() === '') return { kind: 'none' }
  const result = parseGraphText(text, registry)
  if (result.ok)
    return {
      kind: 'restored',
      graph: result.graph,
      notes: result.notes,
      open: restoreOpen(storage, text, result.graph),
    }
  try {
    storage.setItem(BROKEN_AUTOSAVE_KEY, text)
  } catch {
    // Keeping a copy is a courtesy; the text is also returned to the caller.
  }
  return { kind: 'unreadable', text, problems: result.problems.map((p) => p.message) }
}

/** FNV-1a (32-bit) of a text: enough to tell one saved graph text from another. */
function textHash(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0).toString(16)
}

interface SavedOpen {
  graph: string
  open: string[]
}

/** The unfolded nodes saved with exactly this graph text, of those it still has; else none. */
function restoreOpen(storage: KeyValueStorage, text: string, graph: GraphDocument): string[] {
  try {
    const saved = JSON.parse(storage.getItem(AUTOSAVE_OPEN_KEY) ?? 'null') as SavedOpen | null
    if (!saved || saved.graph !== textHash(text) || !Array.isArray(saved.open)) return []
    const ids = new Set(graph.nodes.map((n) => n.id))
    return saved.open.filter((id) => typeof id === 'string' && ids.has(id))
  } catch {
    return [] // view state only: a graph opens folded without it
  }
}

export type SaveResult = { ok: true } | { ok: false; reason: string }

/** Saves the graph, and beside it which of its nodes are unfolded. */
export function saveAutosave(
  storage: KeyValueStorage,
  doc: GraphDocument,
  open: readonly string[] = [],
): SaveResult {
  try {
    const text = JSON.stringify(doc)
    storage.setItem(AUTOSAVE_KEY, text)
    const saved: SavedOpen = { graph: textHash(text), open: [...open] }
    storage.setItem(AUTOSAVE_OPEN_KEY, JSON.stringify(saved))
    return { ok: true }
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    return { ok: false, reason: `The graph could not be saved in this browser (${why}).` }
  }
}

/**
 * Debounced autosave: writes at most every `delayMs`, and once more when asked to flush; `open`
 * gives the unfolded nodes at the time of writing.
 */
export function createAutosaver(
  storage: KeyValueStorage,
  onResult: (result: SaveResult) => void,
  delayMs = 300,
  open: () => readonly string[] = () => [],
): { schedule: (doc: GraphDocument) => void; flush: () => void } {
  let pending: GraphDocument | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    if (pending) onResult(saveAutosave(storage, pending, open()))
    pending = undefined
  }
  return {
    schedule(doc) {
      pending = doc
      if (timer === undefined) timer = setTimeout(flush, delayMs)
    },
    flush,
  }
}
