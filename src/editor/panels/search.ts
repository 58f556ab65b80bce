import { kindOfInput, type AnyNodeDefinition } from '../../engine/define-node'
import type { ValueKind } from '../../engine/values'

/** Node kinds that can take (or give) a value of `kind` on the given side. */
export function fitsSocket(
  def: AnyNodeDefinition,
  from: { side: 'input' | 'output'; kind: ValueKind },
): boolean {
  return from.side === 'output'
    ? Object.values(def.inputs).some((spec) => kindOfInput(spec) === from.kind)
    : Object.values(def.outputs).some((kind) => kind === from.kind)
}

function score(def: AnyNodeDefinition, words: string[]): number {
  const title = def.title.toLowerCase()
  const rest = `${def.category} ${def.type} ${def.description}`.toLowerCase()
  let total = 0
  for (const word of words) {
    if (title.startsWith(word)) total += 5
    else if (title.split(/\s+/).some((w) => w.startsWith(word))) total += 4
    else if (title.includes(word)) total += 3
    else if (rest.includes(word)) total += 1
    else return 0
  }
  return total
}

/**
 * The palette's search: every word must appear in the title, category, type or description;
 * title matches rank first. With `from`, only kinds that fit a dragged connection.
 */
export function searchNodes(
  defs: readonly AnyNodeDefinition[],
  query: string,
  from?: { side: 'input' | 'output'; kind: ValueKind },
): AnyNodeDefinition[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  const fitting = from ? defs.filter((d) => fitsSocket(d, from)) : [...defs]
  if (words.length === 0)
    return fitting.sort(
      (a, b) => a.category.localeCompare(b.category) || a.title.localeCompare(b.title),
    )
  return fitting
    .map((def) => ({ def, s: score(def, words) }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s || a.def.title.localeCompare(b.def.title))
    .map((x) => x.def)
}

/** Definitions grouped by category, categories in a stable order. */
export function byCategory(defs: readonly AnyNodeDefinition[]): [string, AnyNodeDefinition[]][] {
  const groups = new Map<string, AnyNodeDefinition[]>()
  for (const def of defs) {
    const list = groups.get(def.category) ?? []
    list.push(def)
    groups.set(def.category, list)
  }
  const order = [
    'Sources',
    'Audio',
    'Audio → Image',
    'Image',
    'Image → Audio',
    'Synthesis',
    'Diffusion',
    'Outputs',
  ]
  const rank = (c: string) => {
    const i = order.indexOf(c)
    return i < 0 ? order.length - 1 : i
  }
  return [...groups].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
}
