import type { GraphDocument } from '../../engine/document'
import type { NodeRegistry } from '../../engine/registry'
import type { ValueKind } from '../../engine/values'
import type { Preset } from '../presets'
import type { EditorServices } from '../services'
import { duplicatePreset, openPreset } from './library-actions'
import { presetThumbnail } from './preset-thumbs'
import { Thumbnail } from './Thumbnail'

/** The examples as cards: what each makes, what it is for, and what to do with it. */
export function PresetCards({
  services,
  presets,
}: {
  services: EditorServices
  presets: readonly Preset[]
}) {
  const { ui } = services.library
  const close = () => ui.set({ browser: undefined })
  return (
    <div className="preset-grid" data-testid="preset-cards">
      {presets.map((preset) => (
        <article key={preset.file} className="preset-card" data-preset={preset.file}>
          <Thumbnail
            graph={preset.graph}
            registry={services.registry}
            src={presetThumbnail(preset.file)}
            label={preset.name}
          />
          <div className="preset-card-body">
            <h3>{preset.name}</h3>
            <p className="preset-card-meta">
              {preset.graph.nodes.length} nodes · {outputsOf(preset.graph, services.registry)}
            </p>
            <p className="preset-card-text" title={preset.description}>
              {preset.description}
            </p>
          </div>
          <div className="preset-card-actions">
            <button
              type="button"
              className="primary"
              onClick={() => {
                close()
                void openPreset(services, preset)
              }}
            >
              Open
            </button>
            <button
              type="button"
              title="Keep your own copy in My graphs, to change, rename and annotate"
              onClick={() => void duplicatePreset(services, preset)}
            >
              Duplicate
            </button>
            <button
              type="button"
              title="See what this example does differently from another graph"
              onClick={() => {
                const [, other] = ui.getSnapshot().browser?.compare ?? []
                const b = other && other.kind !== 'preset' ? other : { kind: 'current' as const }
                ui.set({
                  browser: { tab: 'compare', compare: [{ kind: 'preset', file: preset.file }, b] },
                })
              }}
            >
              Compare…
            </button>
          </div>
        </article>
      ))}
    </div>
  )
}

const WORDS: Partial<Record<ValueKind, [string, string]>> = {
  audio: ['sound', 'sounds'],
  image: ['picture', 'pictures'],
  frames: ['video', 'videos'],
}

/** "3 sounds, 1 picture": what a graph exports, counted by its output nodes' kinds. */
export function outputsOf(graph: GraphDocument, registry: NodeRegistry): string {
  const counts = new Map<ValueKind, number>()
  for (const node of graph.nodes) {
    const def = registry.get(node.type)
    const kind = def && Object.values(def.outputs)[0]
    // Output nodes are those whose definition exports files.
    if (!kind || def.export === undefined || node.mode === 'mute') continue
    counts.set(kind, (counts.get(kind) ?? 0) + 1)
  }
  const parts = [...counts].map(([kind, n]) => {
    const [one, many] = WORDS[kind] ?? [kind, kind]
    return `${n} ${n === 1 ? one : many}`
  })
  return parts.join(', ') || 'no outputs'
}
