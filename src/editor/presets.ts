import { emptyGraph, type GraphDocument } from '../engine/document'
import type { NodeRegistry } from '../engine/registry'
import { validateGraph } from '../engine/validate'

/** Graph documents shipped in `presets/`, bundled as data (loading one never runs code). */
const FILES = import.meta.glob<unknown>('../../presets/*.json', { eager: true, import: 'default' })

/** The graph the app opens on: the first of these that exists and validates. */
const DEFAULT_ORDER = ['default.json', 'visual-sampling.json', 'visual-sampling-clean.json']

export interface Preset {
  file: string
  name: string
  description?: string
  graph: GraphDocument
}

export interface PresetProblem {
  file: string
  problems: string[]
}

export function bundledPresets(registry: NodeRegistry): {
  presets: Preset[]
  problems: PresetProblem[]
} {
  const presets: Preset[] = []
  const problems: PresetProblem[] = []
  for (const [path, raw] of Object.entries(FILES)) {
    const file = path.split('/').at(-1) ?? path
    // Validation fills in defaults in place: give it a copy of the bundled data.
    const result = validateGraph(structuredClone(raw), registry)
    if (!result.ok) {
      problems.push({ file, problems: result.problems.map((p) => p.message) })
      continue
    }
    const name = result.graph.name ?? file.replace(/\.json$/, '').replace(/[-_]+/g, ' ')
    presets.push({ file, name, description: result.graph.description, graph: result.graph })
  }
  const rank = (p: Preset) => {
    const i = DEFAULT_ORDER.indexOf(p.file)
    return i < 0 ? DEFAULT_ORDER.length : i
  }
  presets.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name))
  return { presets, problems }
}

export function defaultGraph(registry: NodeRegistry): GraphDocument {
  return bundledPresets(registry).presets[0]?.graph ?? emptyGraph('Untitled')
}
