import type { GraphDocument } from '../engine/document'
import type { NodeRegistry } from '../engine/registry'
import type { BrowserRuntime } from '../runtime/types'
import { createLibrary } from './library/create'
import { defaultGraph } from './presets'
import { AudioPlayer } from './preview/audio-player'
import { RunController, type LastRun } from './run/run-controller'
import { RunStore } from './run/run-store'
import type { EditorServices } from './services'
import {
  BROKEN_AUTOSAVE_KEY,
  createAutosaver,
  restoreAutosave,
  type KeyValueStorage,
} from './store/autosave'
import { GraphStore } from './store/graph-store'
import { UiStore } from './ui-store'
import { OpenSettings } from './nodes/open-settings'

/** What end-to-end tests read (and nothing else should). */
export interface TestHook {
  doc(): GraphDocument
  lastRun(): LastRun | undefined
  runCount(): number
  running(): boolean
  services: EditorServices
}

declare global {
  interface Window {
    __synesthete?: TestHook
  }
}

export interface Boot {
  services: EditorServices
  /** The graph is the default one, not the person's own (which keeps its layout as it is). */
  opensDefault: boolean
  setRuntime(runtime: BrowserRuntime | undefined): void
}

/**
 * Assembles the editor: the store (on the autosaved graph, or the default one when there is
 * none or it cannot be read), run state, the controller, autosave and the test hook.
 */
export function bootEditor(registry: NodeRegistry, storage: KeyValueStorage): Boot {
  const ui = new UiStore()
  const restored = restoreAutosave(storage, registry)
  const initial = restored.kind === 'restored' ? restored.graph : defaultGraph(registry)
  const store = new GraphStore(initial)
  const runs = new RunStore()
  let runtime: BrowserRuntime | undefined
  const controller = new RunController({ store, runs, registry, runtime: () => runtime })
  const services: EditorServices = {
    store,
    runs,
    controller,
    registry,
    ui,
    player: new AudioPlayer(),
    runtime: () => runtime,
    canvas: undefined,
    library: createLibrary(storage),
    settings: new OpenSettings(restored.kind === 'restored' ? restored.open : []),
  }
  store.subscribe(controller.onDocChange)

  if (restored.kind === 'unreadable') {
    ui.set({
      problems: {
        title: 'Your last graph could not be restored',
        problems: [
          'The example graph is open instead. The unreadable graph is kept in this browser (under ' +
            `“${BROKEN_AUTOSAVE_KEY}”) and you can download it here.`,
          ...restored.problems,
        ],
        text: restored.text,
      },
    })
  }

  const autosaver = createAutosaver(
    storage,
    (result) => ui.set({ saved: result.ok ? 'Saved in this browser' : result.reason }),
    300,
    () => services.settings.ids(),
  )
  store.subscribe((doc) => autosaver.schedule(doc))
  services.settings.onChange(() => autosaver.schedule(store.doc))
  window.addEventListener('pagehide', autosaver.flush)

  window.__synesthete = {
    doc: () => store.doc,
    lastRun: () => controller.lastRun,
    runCount: () => controller.runCount,
    running: () => controller.running,
    services,
  }
  return {
    services,
    opensDefault: restored.kind !== 'restored',
    setRuntime: (r) => {
      runtime = r
    },
  }
}
