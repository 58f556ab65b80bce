import type { ValueKind } from '../engine/values'

export interface Point {
  x: number
  y: number
}

/** Where the palette opened, and the socket a dragged connection came from, if any. */
export interface PaletteRequest {
  client: Point
  area: Point
  from?: { node: string; port: string; side: 'input' | 'output'; kind: ValueKind }
}

export interface Toast {
  id: number
  text: string
  tone: 'info' | 'warn' | 'error'
  /** Shown near this point of the window (e.g. where a connection was refused). */
  at?: Point
}

export interface UiState {
  palette?: PaletteRequest
  preview?: { node: string; port: string }
  menu?: { node: string; client: Point }
  /** The listening room is open (src/editor/room). */
  room?: boolean
  toasts: Toast[]
  /** Problems to show in a dialog (a file that did not load, an unreadable autosave…). */
  problems?: { title: string; problems: string[]; text?: string }
  /** Whether the last autosave worked, in words. */
  saved?: string
  /**
   * The view just placed (opening, Fit) shows only this many of the graph's nodes whole: it is
   * zoomed to be read, not to show everything (the hint line says so until the view is moved).
   */
  partView?: { shown: number; total: number }
  /**
   * The colour legend: folded to a button because a view placed in a small window put a node
   * under it ('auto', judged again at each placement), or as the person left it.
   */
  legend?: 'auto' | 'folded' | 'open'
}

/** Overlays and messages: the state of the editor that is not the graph. */
export class UiStore {
  private state: UiState = { toasts: [] }
  private readonly listeners = new Set<() => void>()
  private nextToast = 1

  getSnapshot = (): UiState => this.state

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  set(patch: Partial<UiState>): void {
    this.state = { ...this.state, ...patch }
    for (const listener of [...this.listeners]) listener()
  }

  notify(text: string, tone: Toast['tone'] = 'info', at?: Point, ms = 4500): void {
    const toast: Toast = { id: this.nextToast++, text, tone, at }
    this.set({ toasts: [...this.state.toasts.filter((t) => t.text !== text), toast].slice(-4) })
    setTimeout(() => this.dismiss(toast.id), ms)
  }

  dismiss(id: number): void {
    if (this.state.toasts.some((t) => t.id === id))
      this.set({ toasts: this.state.toasts.filter((t) => t.id !== id) })
  }
}
