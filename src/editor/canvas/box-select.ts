import type { NodeEditor } from 'rete'
import type { AreaPlugin } from 'rete-area-plugin'
import type { Point } from '../ui-store'
import type { AreaExtra, Schemes } from './schemes'

/**
 * Ctrl/Shift + drag on empty canvas draws a rectangle and selects the nodes it touches (as in
 * ComfyUI). While it is active the canvas does not pan.
 */
export class BoxSelect {
  active = false
  private start: Point = { x: 0, y: 0 }
  private readonly box: HTMLDivElement

  constructor(
    private readonly container: HTMLElement,
    private readonly editor: NodeEditor<Schemes>,
    private readonly area: AreaPlugin<Schemes, AreaExtra>,
    private readonly select: (ids: string[]) => Promise<void>,
  ) {
    this.box = document.createElement('div')
    this.box.className = 'box-select'
    this.box.hidden = true
  }

  attach(): void {
    this.container.parentElement?.append(this.box)
    this.container.addEventListener('pointerdown', this.down, true)
    window.addEventListener('pointermove', this.move, true)
    window.addEventListener('pointerup', this.up, true)
  }

  detach(): void {
    this.box.remove()
    this.container.removeEventListener('pointerdown', this.down, true)
    window.removeEventListener('pointermove', this.move, true)
    window.removeEventListener('pointerup', this.up, true)
  }

  private local(event: PointerEvent): Point {
    const rect = this.container.getBoundingClientRect()
    return { x: event.clientX - rect.left, y: event.clientY - rect.top }
  }

  private readonly down = (event: PointerEvent): void => {
    if (event.button !== 0 || !(event.ctrlKey || event.shiftKey || event.metaKey)) return
    if ((event.target as HTMLElement).closest('[data-node-id], [data-testid="minimap"]')) return
    this.active = true
    this.start = this.local(event)
    this.draw(this.start)
    this.box.hidden = false
  }

  private readonly move = (event: PointerEvent): void => {
    if (this.active) this.draw(this.local(event))
  }

  private readonly up = (event: PointerEvent): void => {
    if (!this.active) return
    this.active = false
    this.box.hidden = true
    const end = this.local(event)
    if (Math.hypot(end.x - this.start.x, end.y - this.start.y) < 4) return
    const { x, y, k } = this.area.area.transform
    const toArea = (p: Point) => ({ x: (p.x - x) / k, y: (p.y - y) / k })
    const a = toArea(this.start)
    const b = toArea(end)
    const [x0, x1] = [Math.min(a.x, b.x), Math.max(a.x, b.x)]
    const [y0, y1] = [Math.min(a.y, b.y), Math.max(a.y, b.y)]
    const inside = this.editor.getNodes().filter((node) => {
      const at = this.area.nodeViews.get(node.id)?.position
      if (!at) return false
      return at.x < x1 && at.x + node.width > x0 && at.y < y1 && at.y + node.height > y0
    })
    const already = this.editor.getNodes().filter((n) => n.selected)
    void this.select([...new Set([...already, ...inside].map((n) => n.id))])
  }

  private draw(to: Point): void {
    const left = Math.min(this.start.x, to.x)
    const top = Math.min(this.start.y, to.y)
    Object.assign(this.box.style, {
      left: `${left}px`,
      top: `${top}px`,
      width: `${Math.abs(to.x - this.start.x)}px`,
      height: `${Math.abs(to.y - this.start.y)}px`,
    })
  }
}
