import type { NodeEditor } from 'rete'
import type { AreaPlugin } from 'rete-area-plugin'
import type { GraphDocument } from '../../engine/document'
import type { EditorServices } from '../services'
import { edgeId } from '../store/operations'
import { EditorConnection, EditorNode, type AreaExtra, type Schemes } from './schemes'

/**
 * Makes the Rete canvas show the document. Runs after every store change, diffing the document
 * against what the canvas holds; changes are applied one sync at a time. The canvas never edits
 * itself: `allows` tells the editor pipe which removals and additions come from here.
 */
export class ViewSync {
  private running: Promise<void> = Promise.resolve()
  private queued = false
  private readonly own = new Set<string>()
  /** Set while the person drags nodes, so a sync does not pull them back mid-drag. */
  dragging = false

  constructor(
    private readonly editor: NodeEditor<Schemes>,
    private readonly area: AreaPlugin<Schemes, AreaExtra>,
    private readonly services: EditorServices,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Whether an editor operation on this id was started by the sync. */
  allows(id: string): boolean {
    return this.own.has(id)
  }

  schedule(): Promise<void> {
    if (this.queued) return this.running
    this.queued = true
    this.running = this.running
      .then(() => {
        this.queued = false
        return this.apply(this.services.store.doc)
      })
      .catch(this.onError)
    return this.running
  }

  private async apply(doc: GraphDocument): Promise<void> {
    const { editor, area } = this
    const wanted = new Map(doc.nodes.map((n) => [n.id, n]))
    // Nodes that are gone, or whose kind changed under the same id (a loaded graph).
    const stale = editor.getNodes().filter((n) => wanted.get(n.id)?.type !== n.def.type)
    const staleIds = new Set(stale.map((n) => n.id))
    const edges = new Map(doc.edges.map((e) => [edgeId(e), e]))
    for (const c of editor.getConnections()) {
      if (!edges.has(c.id) || staleIds.has(c.source) || staleIds.has(c.target))
        await this.owned(c.id, () => editor.removeConnection(c.id))
    }
    for (const node of stale) await this.owned(node.id, () => editor.removeNode(node.id))

    let added = 0
    for (const node of doc.nodes) {
      let view = editor.getNode(node.id)
      if (!view) {
        const def = this.services.registry.get(node.type)
        if (!def) continue
        // Rete mounts a node, then measures each of its sockets (a layout each), all in one
        // go; a loaded graph's nodes each get their own task, so none blocks input for long.
        if (added++ > 0) await nextTask()
        view = new EditorNode(node.id, def, this.services)
        await this.owned(node.id, () => editor.addNode(view as EditorNode))
      }
      const at = area.nodeViews.get(node.id)?.position
      if (at && (at.x !== node.position.x || at.y !== node.position.y) && !this.dragging)
        await area.translate(node.id, node.position)
    }

    for (const [id, edge] of edges) {
      if (editor.getConnection(id)) continue
      const source = editor.getNode(edge.from.node)
      const target = editor.getNode(edge.to.node)
      const kind = source?.def.outputs[edge.from.port]
      if (!source || !target || !kind || !target.inputs[edge.to.port]) continue
      const connection = new EditorConnection(
        id,
        source,
        edge.from.port,
        target,
        edge.to.port,
        kind,
      )
      await this.owned(id, () => editor.addConnection(connection))
    }
  }

  private async owned(id: string, action: () => Promise<boolean>): Promise<void> {
    this.own.add(id)
    try {
      await action()
    } finally {
      this.own.delete(id)
    }
  }
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0))
