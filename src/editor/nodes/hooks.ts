import { useCallback, useEffect, useSyncExternalStore, type RefObject } from 'react'
import { isOptionalInput, type AnyNodeDefinition } from '../../engine/define-node'
import { findNode, type GraphNode } from '../../engine/document'
import type { NodeRun, RunStore } from '../run/run-store'
import type { GraphStore } from '../store/graph-store'
import type { EditorNode } from '../canvas/schemes'

/** The document's node with this id; re-renders only when that node object changes. */
export function useGraphNode(store: GraphStore, id: string): GraphNode | undefined {
  const get = useCallback(() => findNode(store.doc, id), [store, id])
  return useSyncExternalStore(store.subscribe, get)
}

export function useNodeRun(runs: RunStore, id: string): NodeRun {
  const subscribe = useCallback(
    (listener: () => void) => runs.subscribeNode(id, listener),
    [runs, id],
  )
  const get = useCallback(() => runs.get(id), [runs, id])
  return useSyncExternalStore(subscribe, get)
}

/** Keeps the view object's size current, for the minimap, zoom-to-fit and auto-arrange. */
export function useNodeSize(ref: RefObject<HTMLElement | null>, view: EditorNode): void {
  useEffect(() => {
    const element = ref.current
    if (!element) return
    const observer = new ResizeObserver(() => {
      view.width = element.offsetWidth
      view.height = element.offsetHeight
    })
    observer.observe(element)
    return () => observer.disconnect()
  }, [ref, view])
}

/** Stops pointer presses inside a control from dragging the node or the canvas. */
export const stopDrag = (event: { stopPropagation(): void }): void => event.stopPropagation()

/** Required inputs of a node that nothing feeds, as a stable comma-joined string. */
export function useMissingInputs(store: GraphStore, id: string, def: AnyNodeDefinition): string {
  const get = useCallback(() => {
    const fed = new Set(store.doc.edges.filter((e) => e.to.node === id).map((e) => e.to.port))
    return Object.keys(def.inputs)
      .filter((port) => !isOptionalInput(def.inputs[port]) && !fed.has(port))
      .join(',')
  }, [store, id, def])
  return useSyncExternalStore(store.subscribe, get)
}
