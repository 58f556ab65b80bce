import { useMemo } from 'react'
import { bundledPresets } from '../presets'
import type { EditorServices } from '../services'
import { openPreset } from '../library/library-actions'

/**
 * Bundled example graphs; opening one replaces the canvas (undoable, and an unsaved graph is
 * kept in My graphs first). The browser shows them with pictures, and My graphs.
 */
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
          onClick={() => void openPreset(services, preset)}
        >
          {preset.name}
        </button>
      ))}
      <button
        type="button"
        className="library-item preset-browse"
        onClick={() => services.library.ui.openBrowser('examples')}
        title="Pictures of what each example makes, and comparing them"
      >
        Browse and compare…
      </button>
      <button
        type="button"
        className="library-item preset-browse"
        onClick={() => services.library.ui.openBrowser('mine')}
      >
        My graphs…
      </button>
    </section>
  )
}
