import { useCallback, useEffect, useState, useSyncExternalStore, type RefObject } from 'react'
import type { AnyNodeDefinition } from '../../engine/define-node'
import { unconnectedInputs } from '../../engine/inputs'
import { findNode, type GraphNode } from '../../engine/document'
import type { NodeRun, RunStore } from '../run/run-store'
import type { GraphStore } from '../store/graph-store'
import type { EditorNode } from '../canvas/schemes'
import type { OpenSettings } from './open-settings'

/** The document's node with this id; re-renders only when that node object changes. */
export function useGraphNode(store: GraphStore, id: string): GraphNode | undefined {
  const get = useCallback(() => findNode(store.doc, id), [store, id])
  return useSyncExternalStore(store.subscribe, get)
}

/** Whether this node shows all its settings. */
export function useOpenSettings(settings: OpenSettings, id: string): boolean {
  const subscribe = useCallback(
    (listener: () => void) => settings.subscribe(id, listener),
    [settings, id],
  )
  return useSyncExternalStore(subscribe, () => settings.isOpen(id))
}

export function useNodeRun(runs: RunStore, id: string): NodeRun {
  const subscribe = useCallback(
    (listener: () => void) => runs.subscribeNode(id, listener),
    [runs, id],
  )
  const get = useCallback(() => runs.get(id), [runs, id])
  return useSyncExternalStore(subscribe, get)
}

/**
 * Keeps the view object's size current, for the minimap, zoom-to-fit and auto-arrange, and
 * returns how far down the node its ports sit. Rete measures a socket's position (a forced
 * layout each) whenever the socket re-renders, so `Ports` re-renders only when this offset
 * changes, not on every state change of the node. Read in a ResizeObserver callback, after
 * layout, so the reads cost nothing.
 */
export function useNodeSize(ref: RefObject<HTMLElement | null>, view: EditorNode): number {
  const [portsTop, setPortsTop] = useState(0)
  useEffect(() => {
    const element = ref.current
    if (!element) return
    let last: number | undefined // the sockets were measured when they mounted
    const observer = new ResizeObserver(() => {
      if (view.width !== element.offsetWidth || view.height !== element.offsetHeight) {
        view.width = element.offsetWidth
        view.height = element.offsetHeight
        view.resized()
      }
      const top = element.querySelector<HTMLElement>('.node-ports')?.offsetTop ?? 0
      if (last !== undefined && top !== last) setPortsTop(top)
      last = top
    })
    observer.observe(element)
    return () => observer.disconnect()
  }, [ref, view])
  return portsTop
}

/** Stops pointer presses inside a control from dragging the node or the canvas. */
export const stopDrag = (event: { stopPropagation(): void }): void => event.stopPropagation()

/** The node's outputs that something is connected to, as a stable comma-joined string. */
export function useUsedOutputs(store: GraphStore, id: string): string {
  const get = useCallback(() => {
    const used = new Set(store.doc.edges.filter((e) => e.from.node === id).map((e) => e.from.port))
    return [...used].sort().join(',')
  }, [store, id])
  return useSyncExternalStore(store.subscribe, get)
}

/** Required inputs of a node that nothing feeds, as a stable comma-joined string. */
export function useMissingInputs(store: GraphStore, id: string, def: AnyNodeDefinition): string {
  const get = useCallback(() => unconnectedInputs(store.doc, id, def).join(','), [store, id, def])
  return useSyncExternalStore(store.subscribe, get)
}
