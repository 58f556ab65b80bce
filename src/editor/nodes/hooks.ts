import { useCallback, useEffect, useSyncExternalStore, type RefObject } from 'react'
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
