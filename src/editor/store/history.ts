import type { GraphDocument } from '../../engine/document'

/** One undoable step: the documents on either side of it. */
export interface HistoryEntry {
  label: string
  before: GraphDocument
  after: GraphDocument
  /** Steps with the same key close together in time merge (a slider drag is one step). */
  coalesce?: string
  at: number
}

export interface HistoryOptions {
  limit?: number
  /** Milliseconds within which steps with the same coalesce key merge. */
  coalesceMs?: number
}

/**
 * Undo/redo over immutable documents. Documents share structure, so keeping whole snapshots
 * costs little and every edit, param changes included, undoes exactly.
 */
export class History {
  private past: HistoryEntry[] = []
  private future: HistoryEntry[] = []
  private readonly limit: number
  private readonly coalesceMs: number

  constructor(options: HistoryOptions = {}) {
    this.limit = options.limit ?? 200
    this.coalesceMs = options.coalesceMs ?? 1000
  }

  record(entry: HistoryEntry): void {
    this.future = []
    const last = this.past.at(-1)
    if (
      last &&
      entry.coalesce !== undefined &&
      last.coalesce === entry.coalesce &&
      entry.at - last.at <= this.coalesceMs &&
      last.after === entry.before
    ) {
      last.after = entry.after
      last.at = entry.at
      if (last.after === last.before) this.past.pop()
      return
    }
    this.past.push(entry)
    if (this.past.length > this.limit) this.past.shift()
  }

  /** Stops the last step from merging with the next one (e.g. a slider was released). */
  seal(): void {
    const last = this.past.at(-1)
    if (last) last.coalesce = undefined
  }

  undo(): HistoryEntry | undefined {
    const entry = this.past.pop()
    if (entry) {
      entry.coalesce = undefined
      this.future.push(entry)
    }
    return entry
  }

  redo(): HistoryEntry | undefined {
    const entry = this.future.pop()
    if (entry) this.past.push(entry)
    return entry
  }

  clear(): void {
    this.past = []
    this.future = []
  }

  get undoLabel(): string | undefined {
    return this.past.at(-1)?.label
  }

  get redoLabel(): string | undefined {
    return this.future.at(-1)?.label
  }
}
