import { kindOfInput } from '../engine/define-node'
import type { GraphDocument, NodeMode } from '../engine/document'
import type { EditorServices } from './services'
import { clipFromText, clipToText, copyNodes, pasteNodes } from './store/clipboard'
import { createNode, newNodeId, nodeIds } from './store/node-factory'
import type { PaletteRequest, Point } from './ui-store'

/**
 * Editor commands shared by the keyboard, the menus and the toolbar. Each one is a document
 * operation (or none), so each is one undo step.
 */

let memoryClipboard: GraphDocument | undefined

function targets(services: EditorServices, ids?: readonly string[]): string[] {
  return ids ? [...ids] : (services.canvas?.selected() ?? [])
}

export function deleteNodes(services: EditorServices, ids?: readonly string[]): void {
  const list = targets(services, ids)
  if (list.length > 0) services.store.dispatch({ type: 'removeNodes', ids: list })
}

/** Bypass/mute toggles: if every target already has the mode, back to normal. */
export function toggleMode(
  services: EditorServices,
  mode: NodeMode,
  ids?: readonly string[],
): void {
  const list = targets(services, ids)
  const nodes = services.store.doc.nodes.filter((n) => list.includes(n.id))
  if (nodes.length === 0) return
  const next = nodes.every((n) => n.mode === mode) ? 'normal' : mode
  services.store.dispatch({ type: 'setMode', ids: list, mode: next })
}

export function copySelection(services: EditorServices, ids?: readonly string[]): number {
  const list = targets(services, ids)
  if (list.length === 0) return 0
  memoryClipboard = copyNodes(services.store.doc, list)
  void navigator.clipboard?.writeText(clipToText(memoryClipboard)).catch(() => undefined)
  return list.length
}

/** Pastes the copied nodes (with the links between them) at the pointer, and selects them. */
export async function paste(services: EditorServices, text?: string): Promise<void> {
  const fromText = text ? clipFromText(text, services.registry) : undefined
  const clip = fromText ?? memoryClipboard
  if (!clip) return
  const at = services.canvas?.pointer()
  const pasted = pasteNodes(services.store.doc, clip, at ? { at } : { offset: { x: 40, y: 40 } })
  services.store.dispatch(
    { type: 'addNodes', nodes: pasted.nodes, edges: pasted.edges },
    { label: 'paste' },
  )
  await services.canvas?.select(pasted.nodes.map((n) => n.id))
}

export async function duplicate(services: EditorServices, ids?: readonly string[]): Promise<void> {
  const list = targets(services, ids)
  if (list.length === 0) return
  const clip = copyNodes(services.store.doc, list)
  const pasted = pasteNodes(services.store.doc, clip, { offset: { x: 36, y: 36 } })
  services.store.dispatch(
    { type: 'addNodes', nodes: pasted.nodes, edges: pasted.edges },
    { label: 'duplicate' },
  )
  await services.canvas?.select(pasted.nodes.map((n) => n.id))
}

/**
 * Adds a node of `type` at `at` (canvas coordinates). From a palette opened by dropping a
 * connection, the new node is wired to that socket through its first port of the same kind.
 */
export async function addNode(
  services: EditorServices,
  type: string,
  at: Point,
  from?: PaletteRequest['from'],
): Promise<string | undefined> {
  const def = services.registry.get(type)
  if (!def) return undefined
  const id = newNodeId(nodeIds(services.store.doc), type)
  const node = createNode(def, id, at)
  const edges = []
  if (from?.side === 'output') {
    const port = Object.keys(def.inputs).find((p) => kindOfInput(def.inputs[p]) === from.kind)
    if (port) edges.push({ from: { node: from.node, port: from.port }, to: { node: id, port } })
  } else if (from?.side === 'input') {
    const port = Object.keys(def.outputs).find((p) => def.outputs[p] === from.kind)
    if (port) {
      node.position = { x: Math.round(at.x - 300), y: Math.round(at.y) }
      edges.push({ from: { node: id, port }, to: { node: from.node, port: from.port } })
    }
  }
  services.settings.set(id, true) // a node added by hand is there to be set up
  services.store.dispatch({ type: 'addNodes', nodes: [node], edges }, { label: `add ${def.title}` })
  await services.canvas?.select([id])
  return id
}

export function downloadBlob(bytes: BlobPart, type: string, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
