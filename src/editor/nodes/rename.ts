import { useEffect } from 'react'
import type { EditorServices } from '../services'

type Starters = Map<string, () => void>

/** Per editor: each node's header registers how to start renaming it. */
const starters = new WeakMap<EditorServices, Starters>()

const of = (services: EditorServices): Starters => {
  let map = starters.get(services)
  if (!map) {
    map = new Map<string, () => void>()
    starters.set(services, map)
  }
  return map
}

/**
 * Opens the name field in a node's header, for the node menu's Rename: the header owns the
 * field, and Rete renders every node in its own React root, so there is no shared state to set.
 */
export function startRename(services: EditorServices, node: string): void {
  of(services).get(node)?.()
}

/** Lets `startRename` reach this node's header. */
export function useRenameStarter(services: EditorServices, node: string, start: () => void) {
  useEffect(() => {
    const map = of(services)
    map.set(node, start)
    return () => {
      if (map.get(node) === start) map.delete(node)
    }
  }, [services, node, start])
}
