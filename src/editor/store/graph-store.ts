import type { GraphDocument } from '../../engine/document'
import { History } from './history'
import { applyOp, describeOp, type GraphOp } from './operations'

export interface DispatchOptions {
  /** Words for the undo menu; defaults to a description of the first operation. */
  label?: string
  /** Consecutive edits with the same key merge into one undo step (slider drags, gestures). */
  coalesce?: string
  /** Not recorded for undo (e.g. loading the autosave on start). */
  record?: boolean
}

export interface StoreSnapshot {
  doc: GraphDocument
  canUndo: boolean
  canRedo: boolean
  undoLabel?: string
  redoLabel?: string
}

type Listener = (doc: GraphDocument, previous: GraphDocument) => void

/**
 * Holds the graph document, the one source of truth of the editor. Every edit goes through
 * `dispatch` as operations; the canvas, panels and autosave subscribe to the result.
 */
export class GraphStore {
  private current: GraphDocument
  private readonly history: History
  private readonly listeners = new Set<Listener>()
  private snapshotCache: StoreSnapshot | undefined

  constructor(
    doc: GraphDocument,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.current = doc
    this.history = new History()
  }

  get doc(): GraphDocument {
    return this.current
  }

  /** Applies operations as one undo step. Returns false when nothing changed. */
  dispatch(ops: GraphOp | readonly GraphOp[], options: DispatchOptions = {}): boolean {
    const list: readonly GraphOp[] = 'type' in ops ? [ops] : ops
    if (list.length === 0) return false
    const before = this.current
    const after = list.reduce(applyOp, before)
    if (after === before) return false
    if (options.record !== false) {
      this.history.record({
        label: options.label ?? describeOp(list[0]),
        before,
        after,
        coalesce: options.coalesce,
        at: this.now(),
      })
    }
    this.set(after)
    return true
  }

  /** Ends a coalescing run so the next edit is its own undo step. */
  seal(): void {
    this.history.seal()
  }

  undo(): boolean {
    const entry = this.history.undo()
    if (!entry) return false
    this.set(entry.before)
    return true
  }

  redo(): boolean {
    const entry = this.history.redo()
    if (!entry) return false
    this.set(entry.after)
    return true
  }

  /** Replaces the document and forgets the history (a fresh start). */
  reset(doc: GraphDocument): void {
    this.history.clear()
    this.set(doc)
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** For `useSyncExternalStore`: a stable object until something changes. */
  getSnapshot = (): StoreSnapshot => {
    this.snapshotCache ??= {
      doc: this.current,
      canUndo: this.history.undoLabel !== undefined,
      canRedo: this.history.redoLabel !== undefined,
      undoLabel: this.history.undoLabel,
      redoLabel: this.history.redoLabel,
    }
    return this.snapshotCache
  }

  private set(doc: GraphDocument): void {
    const previous = this.current
    this.current = doc
    this.snapshotCache = undefined
    for (const listener of [...this.listeners]) listener(doc, previous)
  }
}
