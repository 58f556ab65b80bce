import { createRoot } from 'react-dom/client'
import { NodeEditor } from 'rete'
import { AreaExtensions, AreaPlugin } from 'rete-area-plugin'
import { ConnectionPlugin } from 'rete-connection-plugin'
import { MinimapPlugin } from 'rete-minimap-plugin'
import { Presets, ReactPlugin } from 'rete-react-plugin'
import { routedConnection } from '../nodes/ConnectionPath'
import { NodeView } from '../nodes/NodeView'
import { SocketDot } from '../nodes/SocketDot'
import type { ValueKind } from '../../engine/values'
import type { CanvasApi, EditorServices } from '../services'
import type { Point } from '../ui-store'
import { installAreaRules } from './area-rules'
import { BoxSelect } from './box-select'
import { Modifiers } from './modifiers'
import { addGrid } from './grid'
import { lessDetailFarOut } from './detail'
import { drawMinimapOncePerFrame } from './minimap'
import { minimapPreset } from './MinimapView'
import { liftNodesWhileMoving } from './motion'
import { hasOverlaps, layeredLayout, type Size } from '../store/layout'
import { OpeningView, type Insets, type Rect } from './opening-view'
import { NodeBoxes } from './node-boxes'
import type { Box } from './routing'
import { NODE_WIDTH, type AreaExtra, type Schemes } from './schemes'
import { ViewSync } from './view-sync'
import { Wiring } from './wiring'

/**
 * About how tall a node's preview of each kind is (thumbnail, caption, padding), to keep room
 * for it before the first run. Pictures are mostly spectrograms, wider than tall.
 */
const PREVIEW_HEIGHT: Record<ValueKind, number> = {
  audio: 64,
  spectrogram: 88,
  image: 62,
  frames: 62,
  latent: 60,
  number: 45,
  text: 70,
}
/** An output node's preview: a strip and its caption (styles/node.css). */
const OUTPUT_PREVIEW_HEIGHT = 50

const nextFrames = (count: number) =>
  new Promise<void>((resolve) => {
    const step = (left: number) =>
      left === 0 ? resolve() : requestAnimationFrame(() => step(left - 1))
    step(count)
  })

/**
 * What the overlays cover of the canvas (the hint and intro lines at the top, the legend at the
 * bottom, the minimap when shown): their boxes, and the bands of the view they reach into, so a
 * new graph is framed clear of them.
 */
function coveredEdges(container: HTMLElement): { insets: Insets; covers: Rect[] } {
  const view = container.getBoundingClientRect()
  const wrap = container.closest('.canvas-wrap') ?? container
  const gap = 8
  const insets = { top: 0, right: 0, bottom: 0, left: 0 }
  const covers: Rect[] = []
  const cover = (r: DOMRect) =>
    covers.push({
      x: r.left - view.left - gap,
      y: r.top - view.top - gap,
      width: r.width + 2 * gap,
      height: r.height + 2 * gap,
    })
  for (const el of wrap.querySelectorAll<HTMLElement>('.canvas-top > *, .legend')) {
    const r = el.getBoundingClientRect()
    if (r.height === 0) continue
    cover(r)
    if (r.top < view.top + view.height / 2)
      insets.top = Math.max(insets.top, r.bottom - view.top + gap)
    else insets.bottom = Math.max(insets.bottom, view.bottom - r.top + gap)
  }
  const minimap = container.querySelector<HTMLElement>('[data-testid="minimap"]')
  const map = minimap?.getBoundingClientRect()
  if (map && map.width > 0 && getComputedStyle(minimap as HTMLElement).display !== 'none') {
    cover(map)
    insets.right = view.right - map.left + gap
  }
  return { insets, covers }
}

/**
 * A graph larger than the view runs on past its right edge, under the minimap: when the view
 * is placed for the person (on opening, or by Fit) and a node lies under the minimap, the
 * minimap steps aside (`minimap-aside`, hidden but still counted in the framing) until the
 * person touches the canvas (a view that shows only part of the graph says so in the hint
 * line). Hiding it for good is the legend's switch.
 */
function minimapAside(container: HTMLElement) {
  const show = () => container.classList.remove('minimap-aside')
  const check = (tries = 10): void => {
    show()
    const map = container.querySelector<HTMLElement>('[data-testid="minimap"]')
    // The minimap draws in an animation frame: it may not be there yet when the view is placed.
    if (!map) {
      if (tries > 0) requestAnimationFrame(() => check(tries - 1))
      return
    }
    const m = map.getBoundingClientRect()
    if (m.width === 0 || getComputedStyle(map).display === 'none') return
    const covers = [...container.querySelectorAll('[data-node-id]')].some((node) => {
      const n = node.getBoundingClientRect()
      return n.left < m.right && n.right > m.left && n.top < m.bottom && n.bottom > m.top
    })
    container.classList.toggle('minimap-aside', covers)
  }
  container.addEventListener('pointerdown', show, true)
  container.addEventListener('wheel', show, { capture: true, passive: true })
  const stop = () => {
    container.removeEventListener('pointerdown', show, true)
    container.removeEventListener('wheel', show, true)
  }
  return { check, stop }
}

/**
 * In a small window the view placed for the person (opening, Fit) can leave part of a node under
 * the colour legend (at 1024×640 the default graph's Repaint): the legend then folds to a small
 * button (`ui.legend: 'auto'`, panels/Legend.tsx). Judged at each placement and, until the person
 * touches the canvas, whenever a node changes size (previews arrive after the last placement),
 * against the unfolded legend's box; it unfolds again when nothing is under that. Once the person
 * folds or unfolds it, it stays as they left it.
 */
function legendGuard(container: HTMLElement, services: EditorServices) {
  let watching = false
  let frame: number | undefined
  let unfolded: DOMRect | undefined
  const check = () => {
    frame = undefined
    const state = services.ui.getSnapshot().legend
    if (state === 'folded' || state === 'open') return
    const legend = (container.closest('.canvas-wrap') ?? container).querySelector('.legend')
    if (!state && legend) unfolded = legend.getBoundingClientRect()
    const l = unfolded
    if (!l || l.width === 0) return
    const view = container.getBoundingClientRect()
    const covers = [...container.querySelectorAll('[data-node-id]')].some((node) => {
      const n = node.getBoundingClientRect()
      // Only what shows: a node past the canvas's edge is not covered by the legend.
      const [top, bottom] = [Math.max(n.top, view.top), Math.min(n.bottom, view.bottom)]
      const [left, right] = [Math.max(n.left, view.left), Math.min(n.right, view.right)]
      return left < l.right && right > l.left && top < l.bottom && bottom > l.top
    })
    const next = covers ? 'auto' : undefined
    if (next !== state) services.ui.set({ legend: next })
  }
  const touched = () => {
    watching = false
  }
  container.addEventListener('pointerdown', touched, true)
  container.addEventListener('wheel', touched, { capture: true, passive: true })
  return {
    placed() {
      watching = true
      check()
    },
    resized() {
      if (watching && frame === undefined) frame = requestAnimationFrame(check)
    },
    stop() {
      if (frame !== undefined) cancelAnimationFrame(frame)
      container.removeEventListener('pointerdown', touched, true)
      container.removeEventListener('wheel', touched, true)
    },
  }
}

/**
 * The smallest step, sideways first, that moves a node (in view pixels) off the overlays beside
 * it (legend, minimap) and keeps it within `bounds`: a node brought into view (by the keyboard,
 * or unfolded at the window's edge) is not left under the minimap. [0, 0] when it is clear
 * already or no such step exists.
 */
function clearOfOverlays(
  node: { left: number; top: number; width: number; height: number },
  bounds: { left: number; top: number; right: number; bottom: number },
  covers: readonly Rect[],
): [number, number] {
  const at = (dx: number, dy: number) => ({
    left: node.left + dx,
    top: node.top + dy,
    right: node.left + node.width + dx,
    bottom: node.top + node.height + dy,
  })
  const under = (dx: number, dy: number) => {
    const n = at(dx, dy)
    return covers.filter(
      (c) => n.left < c.x + c.width && n.right > c.x && n.top < c.y + c.height && n.bottom > c.y,
    )
  }
  const hit = under(0, 0)
  if (hit.length === 0) return [0, 0]
  const within = (dx: number, dy: number) => {
    const n = at(dx, dy)
    // A node taller than the view may run past its bottom: its title and first rows show.
    const fits = node.height <= bounds.bottom - bounds.top
    return (
      n.left >= bounds.left &&
      n.top >= bounds.top &&
      n.right <= bounds.right &&
      (!fits || n.bottom <= bounds.bottom)
    )
  }
  const sideways = hit.flatMap((c): [number, number][] => [
    [c.x - (node.left + node.width), 0],
    [c.x + c.width - node.left, 0],
  ])
  const upOrDown = hit.flatMap((c): [number, number][] => [
    [0, c.y - (node.top + node.height)],
    [0, c.y + c.height - node.top],
  ])
  const bySize = (a: [number, number], b: [number, number]) =>
    Math.abs(a[0] + a[1]) - Math.abs(b[0] + b[1])
  const steps = [...sideways.sort(bySize), ...upOrDown.sort(bySize)]
  return steps.find(([dx, dy]) => within(dx, dy) && under(dx, dy).length === 0) ?? [0, 0]
}

/**
 * When a placed view (opening, Fit) shows only part of the graph, the hint line says so and
 * offers the whole (`ui.partView`, panels/HintLine.tsx) until the person moves the view.
 */
function partViewNotice(container: HTMLElement, services: EditorServices) {
  const clear = () => {
    if (services.ui.getSnapshot().partView) services.ui.set({ partView: undefined })
  }
  container.addEventListener('pointerdown', clear, true)
  container.addEventListener('wheel', clear, { capture: true, passive: true })
  return {
    placed(view: { shown: number; total: number }) {
      services.ui.set({ partView: view.shown < view.total ? view : undefined })
    },
    moved: clear,
    stop() {
      clear()
      container.removeEventListener('pointerdown', clear, true)
      container.removeEventListener('wheel', clear, true)
    },
  }
}

export interface CanvasHandle extends CanvasApi {
  /** A new graph's first view: readable, from its sources; settles once previews arrive. */
  openingView: () => Promise<void>
  destroy: () => void
}

/**
 * Builds the Rete canvas in `container` as a view of the store: plugins, selection, the
 * connection rules, and the sync that keeps the canvas equal to the document.
 */
export async function createCanvas(
  container: HTMLElement,
  services: EditorServices,
): Promise<CanvasHandle> {
  const editor = new NodeEditor<Schemes>()
  const area = new AreaPlugin<Schemes, AreaExtra>(container)
  const connection = new ConnectionPlugin<Schemes, AreaExtra>()
  const render = new ReactPlugin<Schemes, AreaExtra>({ createRoot })
  const minimap = new MinimapPlugin<Schemes>({ boundViewport: true })
  const stopMinimap = drawMinimapOncePerFrame(minimap)
  const modifiers = new Modifiers()
  const selector = AreaExtensions.selector()
  const selection = AreaExtensions.selectableNodes(area, selector, {
    accumulating: { active: () => modifiers.accumulate },
  })
  const sync = new ViewSync(editor, area, services, (error) =>
    services.ui.notify(`The canvas fell out of step: ${String(error)}`, 'error'),
  )
  const wiring = new Wiring(editor, services, container)

  const boxes = new NodeBoxes(() =>
    editor.getNodes().flatMap((node): Box[] => {
      const at = area.nodeViews.get(node.id)?.position
      return at ? [{ x: at.x, y: at.y, width: node.width, height: node.height }] : []
    }),
  )
  const ConnectionPath = routedConnection(boxes)
  render.addPreset(
    Presets.classic.setup({
      customize: {
        node: () => NodeView,
        socket: () => SocketDot,
        connection: () => ConnectionPath,
      },
    }),
  )
  render.addPreset(minimapPreset(160))
  connection.addPreset(() => wiring.flow(connection))

  editor.use(area)
  const legend = legendGuard(container, services)
  // Wires re-route when a node moves, changes size, comes or goes.
  editor.addPipe((context) => {
    if (context.type === 'nodecreated')
      context.data.resized = () => {
        boxes.changed()
        legend.resized()
      }
    if (context.type === 'nodecreated' || context.type === 'noderemoved') boxes.changed()
    return context
  })
  area.addPipe((context) => {
    if (context.type === 'nodetranslated') boxes.changed()
    return context
  })
  area.use(connection)
  area.use(render)
  area.use(minimap)
  AreaExtensions.zIndexNodesOrder(area)
  const stopMotion = liftNodesWhileMoving(area)
  const removeGrid = addGrid(area)
  const stopDetail = lessDetailFarOut(area)

  const toArea = (client: Point): Point => {
    const rect = container.getBoundingClientRect()
    const { x, y, k } = area.area.transform
    return { x: (client.x - rect.left - x) / k, y: (client.y - rect.top - y) / k }
  }

  /** Moves in the view become one `moveNodes` operation when the drag ends. */
  const commitPositions = (label = 'move'): void => {
    const positions: Record<string, Point> = {}
    for (const node of services.store.doc.nodes) {
      const at = area.nodeViews.get(node.id)?.position
      if (!at) continue
      const rounded = { x: Math.round(at.x), y: Math.round(at.y) }
      if (rounded.x !== node.position.x || rounded.y !== node.position.y)
        positions[node.id] = rounded
    }
    if (Object.keys(positions).length > 0)
      services.store.dispatch({ type: 'moveNodes', positions }, { label })
    else void sync.schedule()
  }

  /**
   * A node's size on screen, with room kept for a preview that has not appeared yet: the
   * outputs it will show (those connected, else its first; see preview/NodePreview.tsx) less
   * the line that stands in for them until then.
   */
  const sizeOf = (id: string): Size => {
    const view = editor.getNode(id)
    const width = view?.width ?? NODE_WIDTH
    const height = view?.height ?? 200
    if (!view || services.runs.get(id).outputs) return { width, height }
    const outputs = Object.entries(view.def.outputs)
    const used = new Set(
      services.store.doc.edges.filter((e) => e.from.node === id).map((e) => e.from.port),
    )
    const shown = outputs.some(([port]) => used.has(port))
      ? outputs.filter(([port]) => used.has(port))
      : outputs.slice(0, 1)
    const expected = view.def.export
      ? OUTPUT_PREVIEW_HEIGHT
      : shown.reduce((sum, [, kind]) => sum + PREVIEW_HEIGHT[kind], 0)
    const stand = area.nodeViews.get(id)?.element.querySelector<HTMLElement>('.preview-empty')
    const standing = stand ? stand.offsetHeight + 10 : 0 // its bottom margin
    return { width, height: height + Math.max(0, expected - standing) }
  }

  const tidy = async (record: boolean): Promise<void> => {
    await sync.schedule()
    const positions = layeredLayout(services.store.doc, sizeOf)
    services.store.dispatch({ type: 'moveNodes', positions }, { label: 'tidy up', record })
    await sync.schedule()
  }

  const aside = minimapAside(container)
  const part = partViewNotice(container, services)
  const opening = new OpeningView(
    area,
    services.runs,
    () =>
      editor.getNodes().map((node) => {
        const at = area.nodeViews.get(node.id)?.position ?? { x: 0, y: 0 }
        return { ...at, width: node.width, height: node.height }
      }),
    () => nextFrames(2), // let grown nodes report their sizes
    () => coveredEdges(container),
    (view) => {
      aside.check()
      legend.placed()
      part.placed(view)
    },
  )
  /** The canvas's first fit frames the graph to read it, not to see all of it. */
  let opened = false

  const box = new BoxSelect(container, editor, area, async (ids) => {
    await selector.unselectAll()
    for (const id of ids) await selection.select(id, true)
  })
  box.attach()

  installAreaRules({
    editor,
    area,
    connection,
    services,
    sync,
    wiring,
    selector,
    commitPositions,
    panning: () => !box.active,
  })

  const unsubscribe = services.store.subscribe(() => void sync.schedule())
  window.addEventListener('pointerdown', wiring.onPointer, true)
  window.addEventListener('pointerup', wiring.onPointer, true)
  window.addEventListener('pointermove', wiring.onPointer, true)
  modifiers.attach()
  await sync.schedule()

  const api: CanvasHandle = {
    selected: () =>
      editor
        .getNodes()
        .filter((n) => n.selected)
        .map((n) => n.id),
    async select(ids) {
      await sync.schedule() // nodes just added must exist on the canvas first
      await selector.unselectAll()
      for (const id of ids) await selection.select(id, true)
    },
    async zoomToFit() {
      if (!opened) return api.openingView()
      await sync.schedule()
      if (editor.getNodes().length > 0) await opening.fit()
    },
    async openingView() {
      opened = true
      await sync.schedule()
      await nextFrames(2) // new nodes report their sizes
      await opening.show()
    },
    toArea,
    center: () => {
      const rect = container.getBoundingClientRect()
      return toArea({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 })
    },
    pointer: () => ({ ...area.area.pointer }),
    async reveal(id) {
      // Focus scrolls even an overflow-hidden box; the area's transform is the only offset.
      container.scrollTop = 0
      container.scrollLeft = 0
      const el = area.nodeViews.get(id)?.element
      if (!el) return
      const view = container.getBoundingClientRect()
      const node = el.getBoundingClientRect()
      const pad = 40
      // Below the hint and intro lines: a node's title is never brought in under them.
      const overlays = coveredEdges(container)
      const top = Math.max(pad, overlays.insets.top)
      const dx =
        node.left < view.left + pad
          ? view.left + pad - node.left
          : node.right > view.right - pad
            ? Math.max(view.right - pad - node.right, view.left + pad - node.left)
            : 0
      const dy =
        node.top < view.top + top
          ? view.top + top - node.top
          : node.bottom > view.bottom - pad
            ? Math.max(view.bottom - pad - node.bottom, view.top + top - node.top)
            : 0
      const [clearX, clearY] = clearOfOverlays(
        {
          left: node.left - view.left + dx,
          top: node.top - view.top + dy,
          width: node.width,
          height: node.height,
        },
        { left: 0, top, right: view.width, bottom: view.height },
        overlays.covers.filter((c) => c.y >= overlays.insets.top),
      )
      const [moveX, moveY] = [dx + clearX, dy + clearY]
      if (moveX === 0 && moveY === 0) return
      part.moved() // the view is the person's now: a count of nodes in it would be stale
      const { x, y } = area.area.transform
      await area.area.translate(x + moveX, y + moveY)
    },
    async raise(id) {
      // What zIndexNodesOrder does for a picked node (picking would start a drag here).
      const view = area.nodeViews.get(id)
      if (view) await area.area.content.reorder(view.element, null)
    },
    arrange: () => tidy(true),
    async tidyIfCrowded() {
      await sync.schedule()
      await nextFrames(2) // let new nodes report their sizes
      if (hasOverlaps(services.store.doc, sizeOf)) await tidy(false)
    },
    destroy() {
      opening.stop()
      aside.stop()
      legend.stop()
      part.stop()
      boxes.stop()
      stopMinimap()
      stopMotion()
      removeGrid()
      stopDetail()
      unsubscribe()
      window.removeEventListener('pointerdown', wiring.onPointer, true)
      window.removeEventListener('pointerup', wiring.onPointer, true)
      window.removeEventListener('pointermove', wiring.onPointer, true)
      modifiers.detach()
      box.detach()
      area.destroy()
    },
  }
  return api
}
