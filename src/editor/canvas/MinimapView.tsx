import { memo, useRef, useState, useLayoutEffect, type PointerEvent } from 'react'
import type { MinimapExtra } from 'rete-minimap-plugin'
import { Presets } from 'rete-react-plugin'

export type MinimapData = Extract<MinimapExtra['data'], { type: 'minimap' }>

interface Box {
  left: number
  top: number
  width: number
  height: number
}

const px = (v: number) => `${v}px`

/**
 * The nodes' rectangles in units of the first node's width, measured from its corner: the same
 * numbers however the minimap is panned or scaled, since every rectangle moves and scales
 * together. So a pan (which reframes the minimap when the view reaches past the nodes) only
 * changes the transform of the layer holding them; the rectangles are drawn again only when a
 * node moved or resized. Re-rendering a hundred of them on each pan step was most of the
 * minimap's cost (about 8 ms a draw at 112 nodes).
 */
const MiniNodes = memo(
  function MiniNodes({ shape }: { shape: string }) {
    if (shape === '') return null
    return shape.split(';').map((rect, i) => {
      const [left, top, width, height] = rect.split(',')
      return (
        <div
          key={i}
          className="minimap-node"
          data-testid="minimap-node"
          style={{ left: `${left}px`, top: `${top}px`, width: `${width}px`, height: `${height}px` }}
        />
      )
    })
  },
  (before, after) => before.shape === after.shape,
)

/** Each rectangle relative to the first, in its widths (see MiniNodes). */
export function shapeOf(nodes: readonly Box[]): string {
  const first = nodes[0]
  if (!first) return ''
  const unit = first.width || 1
  const at = (v: number) => (v / unit).toFixed(4)
  return nodes
    .map(
      (n) => `${at(n.left - first.left)},${at(n.top - first.top)},${at(n.width)},${at(n.height)}`,
    )
    .join(';')
}

/**
 * The minimap (Rete's minimap data, drawn here instead of by its preset): the nodes, the view's
 * rectangle to drag, and a double-click to move the view there.
 */
export function MinimapView({ data, size }: { data: MinimapData; size: number }) {
  const ref = useRef<HTMLDivElement>(null)
  const [inner, setInner] = useState(0)
  useLayoutEffect(() => {
    const element = ref.current
    if (!element) return
    const observer = new ResizeObserver(() => setInner(element.clientWidth))
    observer.observe(element)
    setInner(element.clientWidth)
    return () => observer.disconnect()
  }, [])
  const { viewport, ratio } = data
  const first = data.nodes[0]
  const onViewportDown = (event: PointerEvent) => {
    let previous = { x: event.pageX, y: event.pageY }
    const move = (e: globalThis.PointerEvent) => {
      const dx = e.pageX - previous.x
      const dy = e.pageY - previous.y
      previous = { x: e.pageX, y: e.pageY }
      if (inner > 0) data.translate(-dx / inner, -dy / inner)
    }
    const up = () => {
      window.removeEventListener('pointermove', move)
      window.removeEventListener('pointerup', up)
      window.removeEventListener('pointercancel', up)
    }
    window.addEventListener('pointermove', move)
    window.addEventListener('pointerup', up)
    window.addEventListener('pointercancel', up)
  }
  return (
    <div
      ref={ref}
      className="minimap"
      data-testid="minimap"
      style={{ width: px(size * ratio), height: px(size) }}
      onPointerDown={(event) => {
        event.stopPropagation()
        event.preventDefault()
      }}
      onDoubleClick={(event) => {
        event.stopPropagation()
        event.preventDefault()
        const box = ref.current?.getBoundingClientRect()
        if (!box) return
        data.point(
          (event.clientX - box.left) / (size * ratio),
          (event.clientY - box.top) / (size * ratio),
        )
      }}
    >
      {inner > 0 && first && (
        <div
          className="minimap-nodes"
          style={{
            transform: `translate(${px(first.left * inner)}, ${px(first.top * inner)}) scale(${(first.width || 1) * inner})`,
          }}
        >
          <MiniNodes shape={shapeOf(data.nodes)} />
        </div>
      )}
      <div
        className="minimap-viewport"
        data-testid="minimap-viewport"
        onPointerDown={onViewportDown}
        style={{
          left: px(viewport.left * inner),
          top: px(viewport.top * inner),
          width: px(viewport.width * inner),
          height: px(viewport.height * inner),
        }}
      />
    </div>
  )
}

/** Rete's minimap preset, drawn by `MinimapView`, `size` pixels tall. */
export function minimapPreset(size: number) {
  const preset = Presets.minimap.setup({ size })
  const render: typeof preset.render = (context) =>
    context.data.type === 'minimap' ? <MinimapView data={context.data} size={size} /> : undefined
  return { ...preset, render }
}
