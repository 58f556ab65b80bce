import { useMemo } from 'react'
import { bundledPresets } from '../presets'
import type { EditorServices } from '../services'
import { settleView } from '../view-helpers'

/** Bundled example graphs; opening one replaces the canvas (and can be undone). */
export function PresetList({ services }: { services: EditorServices }) {
  const { presets } = useMemo(() => bundledPresets(services.registry), [services])
  if (presets.length === 0) return null
  return (
    <section className="library-group library-presets">
      <h3>Example graphs</h3>
      {presets.map((preset) => (
        <button
          type="button"
          key={preset.file}
          className="library-item preset-item"
          title={preset.description ?? preset.name}
          onClick={() => {
            services.store.dispatch(
              { type: 'replace', graph: structuredClone(preset.graph) },
              { label: `open ${preset.name}` },
            )
            void settleView(services)
          }}
        >
          {preset.name}
        </button>
      ))}
    </section>
  )
}
