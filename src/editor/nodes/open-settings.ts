import type { GraphDocument } from '../../engine/document'
import type { ParamSpec } from '../../engine/params'

/**
 * Which nodes show all their settings. A graph opens with each node's settings folded under one
 * button, so its whole chain reads on one screen; a node added by hand opens unfolded, to be set
 * up. What a node reads (its file, its model) is never folded. Not part of the document:
 * unfolding is not an edit, and an example opened and unfolded is still unchanged. The autosave
 * keeps it beside the graph (`store/autosave.ts`), so a reload opens the same nodes.
 */
export class OpenSettings {
  private readonly open: Set<string>
  private readonly listeners = new Map<string, Set<() => void>>()
  private readonly anyListeners = new Set<() => void>()

  constructor(open: Iterable<string> = []) {
    this.open = new Set(open)
  }

  isOpen = (id: string): boolean => this.open.has(id)

  /** The unfolded nodes, for saving. */
  ids(): string[] {
    return [...this.open]
  }

  /** Tells `listener` whenever any node folds or unfolds. */
  onChange(listener: () => void): () => void {
    this.anyListeners.add(listener)
    return () => this.anyListeners.delete(listener)
  }

  set(id: string, open: boolean): void {
    if (open === this.open.has(id)) return
    if (open) this.open.add(id)
    else this.open.delete(id)
    for (const listener of [...(this.listeners.get(id) ?? [])]) listener()
    for (const listener of [...this.anyListeners]) listener()
  }

  toggle(id: string): void {
    this.set(id, !this.open.has(id))
  }

  /** Folds every node again (a new graph replaces the one on the canvas). */
  foldAll(): void {
    for (const id of [...this.open]) this.set(id, false)
  }

  subscribe(id: string, listener: () => void): () => void {
    let set = this.listeners.get(id)
    if (!set) this.listeners.set(id, (set = new Set()))
    set.add(listener)
    return () => {
      set.delete(listener)
      if (set.size === 0) this.listeners.delete(id)
    }
  }
}

/**
 * The params that say what a node reads, shown even when its settings fold: its files and its
 * (first) model. A second model ("Model B", for blending) is a setting like the others.
 */
export function alwaysShown(params: readonly (readonly [string, ParamSpec])[]): Set<string> {
  const shown = new Set(params.filter(([, spec]) => spec.type === 'file').map(([name]) => name))
  const model = params.find(([, spec]) => spec.type === 'text' && spec.widget === 'model')
  if (model) shown.add(model[0])
  return shown
}

/**
 * The document to keep or share (My graphs, a link, a file), carrying the nodes unfolded now, so
 * it opens as it was seen.
 */
export function withUnfolded(doc: GraphDocument, settings: OpenSettings): GraphDocument {
  const { view: _view, ...rest } = doc
  const unfolded = doc.nodes.map((n) => n.id).filter((id) => settings.isOpen(id))
  return unfolded.length > 0 ? { ...rest, view: { unfolded } } : rest
}

/**
 * A document being opened: the graph for the store (without its view, which is not content and
 * not an edit) and the nodes to unfold, of those it has.
 */
export function takeUnfolded(doc: GraphDocument): { graph: GraphDocument; unfolded: string[] } {
  const { view, ...graph } = doc
  const ids = new Set(doc.nodes.map((n) => n.id))
  return { graph, unfolded: (view?.unfolded ?? []).filter((id) => ids.has(id)) }
}
