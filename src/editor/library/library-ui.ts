import type { KeyValueStorage } from '../store/autosave'

/** A graph to show or compare: a bundled preset, one of My graphs, or the open one. */
export type GraphRef =
  { kind: 'preset'; file: string } | { kind: 'mine'; id: string } | { kind: 'current' }

export type BrowserTab = 'examples' | 'mine' | 'compare'

export interface AskChoice {
  id: string
  label: string
  primary?: boolean
}

/** A question with buttons; `answer` gets the chosen id, or undefined when dismissed. */
export interface AskRequest {
  title: string
  message: string
  choices: AskChoice[]
  answer(id: string | undefined): void
}

export interface LibraryUiState {
  browser?: { tab: BrowserTab; highlight?: string; compare: [GraphRef, GraphRef] }
  ask?: AskRequest
  /** The link, whether it was copied already, and what it does not carry. */
  share?: { url: string; copied: boolean; notes: string[] }
  /** The "save to My graphs" form, with what it starts from. */
  save?: { name: string; notes: string }
}

const CURRENT_KEY = 'synesthete.library.current'

/**
 * The state of the library's overlays (browser, questions, share and save forms) and which
 * entry of My graphs the open graph belongs to (remembered across reloads, like the graph).
 */
export class LibraryUi {
  private state: LibraryUiState = {}
  private readonly listeners = new Set<() => void>()
  private current: string | undefined

  constructor(private readonly storage?: KeyValueStorage) {
    try {
      this.current = storage?.getItem(CURRENT_KEY) ?? undefined
    } catch {
      this.current = undefined
    }
  }

  getSnapshot = (): LibraryUiState => this.state

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  set(patch: Partial<LibraryUiState>): void {
    this.state = { ...this.state, ...patch }
    for (const listener of [...this.listeners]) listener()
  }

  /** The My graphs entry the open graph was opened from or saved as. */
  get currentId(): string | undefined {
    return this.current
  }

  setCurrentId(id: string | undefined): void {
    this.current = id
    try {
      if (id) this.storage?.setItem(CURRENT_KEY, id)
      else this.storage?.removeItem(CURRENT_KEY)
    } catch {
      // Remembering it is a convenience; without it Save asks for a name again.
    }
    this.set({})
  }

  openBrowser(tab: BrowserTab, highlight?: string): void {
    const compare = this.state.browser?.compare ?? [{ kind: 'current' }, { kind: 'current' }]
    this.set({ browser: { tab, highlight, compare } })
  }

  /** Asks a question in a dialog; resolves with the chosen id (undefined: dismissed). */
  ask(request: Omit<AskRequest, 'answer'>): Promise<string | undefined> {
    return new Promise((resolve) => {
      this.set({
        ask: {
          ...request,
          answer: (id) => {
            this.set({ ask: undefined })
            resolve(id)
          },
        },
      })
    })
  }
}
