import type { NodeRegistry } from '../engine/registry'
import type { GraphLibrary } from './library/graph-library'
import type { LibraryUi } from './library/library-ui'
import type { BrowserRuntime } from '../runtime/types'
import type { AudioPlayer } from './preview/audio-player'
import type { RunController } from './run/run-controller'
import type { RunStore } from './run/run-store'
import type { GraphStore } from './store/graph-store'
import type { OpenSettings } from './nodes/open-settings'
import type { Point, UiStore } from './ui-store'

/** What the canvas offers the rest of the editor once it is mounted. */
export interface CanvasApi {
  selected(): string[]
  select(ids: readonly string[]): Promise<void>
  zoomToFit(): Promise<void>
  /** Canvas coordinates of a point of the window. */
  toArea(client: Point): Point
  /** Canvas coordinates of the middle of the visible area. */
  center(): Point
  /** Canvas coordinates of the pointer (last known). */
  pointer(): Point
  /** Tidies the layout (columns by depth, left to right) as one undoable move. */
  arrange(): Promise<void>
  /** Tidies without an undo step when nodes overlap (a graph laid out for smaller nodes). */
  tidyIfCrowded(): Promise<void>
  /** Pans just enough to bring a node into view (keyboard focus moved to it). */
  reveal?(id: string): Promise<void>
  /** Brings a node in front of the others (its settings unfolded over its neighbours). */
  raise?(id: string): Promise<void>
}

/**
 * Everything a part of the editor may need, handed down explicitly. Rete renders each node in
 * its own React root, so context does not reach them: nodes get this through their view object.
 */
export interface EditorServices {
  store: GraphStore
  runs: RunStore
  controller: RunController
  registry: NodeRegistry
  ui: UiStore
  player: AudioPlayer
  runtime(): BrowserRuntime | undefined
  canvas: CanvasApi | undefined
  /** My graphs, the preset browser, sharing (src/editor/library). */
  library: { graphs: GraphLibrary; ui: LibraryUi }
  /** Which nodes show all their settings (folded when a graph opens). */
  settings: OpenSettings
}
