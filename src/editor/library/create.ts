import { idbKeyValueStore } from '../../runtime/kv-store'
import type { KeyValueStorage } from '../store/autosave'
import { GraphLibrary, LIBRARY_DB, LIBRARY_STORE, type SavedGraph } from './graph-library'
import { LibraryUi } from './library-ui'

/** My graphs in this browser's IndexedDB, and the library's overlays; starts reading at once. */
export function createLibrary(storage: KeyValueStorage) {
  const graphs = new GraphLibrary(idbKeyValueStore<SavedGraph>(LIBRARY_DB, LIBRARY_STORE))
  void graphs.load()
  return { graphs, ui: new LibraryUi(storage) }
}
