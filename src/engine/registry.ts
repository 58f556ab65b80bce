import type { AnyNodeDefinition } from './define-node'

/** The node kinds the engine knows; it learns them only through this. */
export interface NodeRegistry {
  get(type: string): AnyNodeDefinition | undefined
  all(): readonly AnyNodeDefinition[]
}

export function createRegistry(definitions: readonly AnyNodeDefinition[]): NodeRegistry {
  const byType = new Map<string, AnyNodeDefinition>()
  for (const def of definitions) {
    if (byType.has(def.type)) throw new Error(`Two node definitions share the type "${def.type}"`)
    byType.set(def.type, def)
  }
  return { get: (type) => byType.get(type), all: () => [...byType.values()] }
}
