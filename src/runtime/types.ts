import type { ValueCache } from '../engine/cache'
import type { FileResolver } from '../engine/keys'
import type { NodeRunner } from '../engine/runner'

/** Files the user gave the browser app, kept in IndexedDB and referred to by `blob:<sha256>`. */
export interface BrowserFileStore {
  resolve: FileResolver
  /** Stores the bytes and returns the reference to put in a file param. */
  add(bytes: Uint8Array, name: string): Promise<string>
}

/** What the editor needs to run graphs in the browser, off the main thread. */
export interface BrowserRuntime {
  runner: NodeRunner
  cache: ValueCache
  files: BrowserFileStore
  dispose(): void
}
