import type { GraphDocument } from '../../engine/document'
import type { NodeRegistry } from '../../engine/registry'
import { parseGraphText } from '../../engine/validate'

export const AUTOSAVE_KEY = 'synesthete.autosave.graph'
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
  | { kind: 'restored'; graph: GraphDocument; notes: string[] }
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
  if (result.ok) return { kind: 'restored', graph: result.graph, notes: result.notes }
  try {
    storage.setItem(BROKEN_AUTOSAVE_KEY, text)
  } catch {
    // Keeping a copy is a courtesy; the text is also returned to the caller.
  }
  return { kind: 'unreadable', text, problems: result.problems.map((p) => p.message) }
}

export type SaveResult = { ok: true } | { ok: false; reason: string }

export function saveAutosave(storage: KeyValueStorage, doc: GraphDocument): SaveResult {
  try {
    storage.setItem(AUTOSAVE_KEY, JSON.stringify(doc))
    return { ok: true }
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    return { ok: false, reason: `The graph could not be saved in this browser (${why}).` }
  }
}

/** Debounced autosave: writes at most every `delayMs`, and once more when asked to flush. */
export function createAutosaver(
  storage: KeyValueStorage,
  onResult: (result: SaveResult) => void,
  delayMs = 300,
): { schedule: (doc: GraphDocument) => void; flush: () => void } {
  let pending: GraphDocument | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    if (pending) onResult(saveAutosave(storage, pending))
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
