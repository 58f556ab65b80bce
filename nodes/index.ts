import type { AnyNodeDefinition } from '../src/engine/define-node'
import { createRegistry } from '../src/engine/registry'

/** Every node kind Synesthete ships. Adding a node: one file in nodes/, one line here. */
export const allNodes: readonly AnyNodeDefinition[] = []

export const registry = createRegistry(allNodes)
