import type { EditorServices } from '../services'
import { defaultTargetNode, type ModelTarget } from './apply'

/**
 * Whether the model panel is open, and for which node and param. Kept here rather than in the
 * editor's UiStore so the panel stays one self-contained folder; one store per editor.
 */
export class ModelPanelStore {
  private state: ModelTarget | undefined
  private readonly listeners = new Set<() => void>()

  getSnapshot = (): ModelTarget | undefined => this.state

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  open(target: ModelTarget): void {
    this.set(target)
  }

  close(): void {
    this.set(undefined)
  }

  private set(state: ModelTarget | undefined): void {
    this.state = state
    for (const listener of [...this.listeners]) listener()
  }
}

const stores = new WeakMap<EditorServices, ModelPanelStore>()

export function modelPanel(services: EditorServices): ModelPanelStore {
  let store = stores.get(services)
  if (!store) stores.set(services, (store = new ModelPanelStore()))
  return store
}

/** Opens the panel for the selected (or only) Stable Diffusion node, as the status bar does. */
export function openModelPanel(services: EditorServices, target?: ModelTarget): void {
  const param = target?.param ?? 'model'
  modelPanel(services).open({ param, node: target?.node ?? defaultTargetNode(services, param) })
}
