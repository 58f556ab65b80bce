import type { GraphDocument } from '../../engine/document'
import type { NodeRegistry } from '../../engine/registry'
import { validateGraph, type ValidationResult } from '../../engine/validate'
import { isQuotaError, type KeyValueStore } from '../../runtime/kv-store'

/** One graph in My graphs. Its name and notes are also the graph's `name` and `description`. */
export interface SavedGraph {
  id: string
  name: string
  notes: string
  /**
   * The document as saved. Read back it is untrusted (another version of the app, or storage
   * edited by hand wrote it), so it is validated, and migrated, every time it is opened.
   */
  graph: unknown
  createdAt: number
  updatedAt: number
}

export const LIBRARY_DB = 'synesthete-library'
export const LIBRARY_STORE = 'graphs'

export interface LibrarySnapshot {
  /** Most recently changed first. */
  entries: readonly SavedGraph[]
  loaded: boolean
  /** Why the library could not be read (storage blocked, private mode…). */
  error?: string
}

/** The document an entry holds, with its name and notes written into it. */
function withMeta(graph: GraphDocument, name: string, notes: string): GraphDocument {
  return { ...graph, name, description: notes || undefined }
}

function storageMessage(error: unknown, doing: string): Error {
  if (isQuotaError(error))
    return new Error(`There is no room left in this browser's storage to ${doing}.`)
  const why = error instanceof Error ? error.message : String(error)
  return new Error(`My graphs could not ${doing} (${why}).`)
}

/**
 * My graphs: graphs kept in this browser's IndexedDB (its own database, apart from the cache
 * and dropped files, so clearing the cache never touches them), with a name and notes.
 */
export class GraphLibrary {
  private snapshot: LibrarySnapshot = { entries: [], loaded: false }
  private readonly listeners = new Set<() => void>()

  constructor(
    private readonly store: KeyValueStore<SavedGraph>,
    private readonly now: () => number = () => Date.now(),
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {}

  getSnapshot = (): LibrarySnapshot => this.snapshot

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  get(id: string): SavedGraph | undefined {
    return this.snapshot.entries.find((e) => e.id === id)
  }

  /** Reads every entry; a failure is kept in the snapshot, never thrown. */
  async load(): Promise<void> {
    try {
      const values = await this.store.values()
      this.publish(values.filter(isEntry), undefined)
    } catch (error) {
      this.publish([], storageMessage(error, 'be read').message)
    }
  }

  async add(graph: GraphDocument, name: string, notes = ''): Promise<SavedGraph> {
    const at = this.now()
    const entry: SavedGraph = {
      id: this.newId(),
      name,
      notes,
      graph: withMeta(graph, name, notes),
      createdAt: at,
      updatedAt: at,
    }
    await this.write(entry, 'save the graph')
    return entry
  }

  /** Changes name, notes or graph; the other two are kept. */
  async update(
    id: string,
    patch: { name?: string; notes?: string; graph?: GraphDocument },
  ): Promise<SavedGraph | undefined> {
    const old = this.get(id)
    if (!old) return undefined
    const name = patch.name ?? old.name
    const notes = patch.notes ?? old.notes
    const base = patch.graph ?? (isObject(old.graph) ? (old.graph as GraphDocument) : undefined)
    const entry: SavedGraph = {
      ...old,
      name,
      notes,
      graph: base ? withMeta(base, name, notes) : old.graph,
      updatedAt: this.now(),
    }
    await this.write(entry, 'save the change')
    return entry
  }

  async remove(id: string): Promise<void> {
    try {
      await this.store.delMany([id])
    } catch (error) {
      throw storageMessage(error, 'delete the graph')
    }
    this.publish(
      this.snapshot.entries.filter((e) => e.id !== id),
      this.snapshot.error,
    )
  }

  /** The entry's graph checked as any file would be: migrated with notes, or refused. */
  open(entry: SavedGraph, registry: NodeRegistry): ValidationResult {
    // Validation fills defaults in place: hand it a copy so the listed entry stays as stored.
    return validateGraph(structuredClone(entry.graph), registry)
  }

  private async write(entry: SavedGraph, doing: string): Promise<void> {
    try {
      await this.store.set(entry.id, entry)
    } catch (error) {
      throw storageMessage(error, doing)
    }
    const others = this.snapshot.entries.filter((e) => e.id !== entry.id)
    this.publish([entry, ...others], this.snapshot.error)
  }

  private publish(entries: readonly SavedGraph[], error: string | undefined): void {
    const sorted = [...entries].sort((a, b) => b.updatedAt - a.updatedAt)
    this.snapshot = { entries: sorted, loaded: true, error }
    for (const listener of [...this.listeners]) listener()
  }
}

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null

/** Keeps only records shaped like entries: anything else in the store is ignored. */
function isEntry(value: unknown): value is SavedGraph {
  if (!isObject(value)) return false
  const v = value as Record<string, unknown>
  return (
    typeof v.id === 'string' &&
    typeof v.name === 'string' &&
    typeof v.notes === 'string' &&
    typeof v.createdAt === 'number' &&
    typeof v.updatedAt === 'number'
  )
}
