import type { AnyNodeDefinition } from '../../engine/define-node'
import { NODE_WIDTH_OPEN, NODE_WIDTH_OPEN_MAX } from '../canvas/schemes'

/** What a choice's row takes besides its select: the node's padding and border, the label column. */
const ROW_PADDING = 22 // .node-params padding 10 + 10, the node's border 1 + 1
const LABEL_COLUMN = 92 + 6 // .param: the label's column and the gap
/** Past this a node would cover too much of its neighbour: a long choice takes a row of its own. */
const TWO_COLUMNS_MAX = 320

export interface OpenLayout {
  /** The unfolded node's width, in canvas pixels. */
  width: number
  /** Choices shown under their label, across the node, since beside it they would be cut. */
  wide: ReadonlySet<string>
}

/**
 * How wide an unfolded node is so that every choice shows its whole option text: from 260 px
 * up to 320 px with each choice beside its label, and a choice longer than that under its label,
 * the node up to 420 px. `choices` gives each choice param's select at its natural width (its
 * longest option with the select's own padding and arrow).
 */
export function openLayout(choices: readonly (readonly [string, number])[]): OpenLayout {
  const beside = (natural: number) => natural + LABEL_COLUMN + ROW_PADDING
  let width = NODE_WIDTH_OPEN
  for (const [, natural] of choices) {
    const need =
      beside(natural) <= TWO_COLUMNS_MAX
        ? beside(natural)
        : Math.min(NODE_WIDTH_OPEN_MAX, natural + ROW_PADDING)
    width = Math.max(width, Math.ceil(need))
  }
  const wide = new Set(choices.filter(([, n]) => beside(n) > width).map(([name]) => name))
  return { width, wide }
}

const measured = new Map<string, OpenLayout>()

/**
 * The open layout of a node kind, measured once in the page: each choice's options in a select
 * styled as on a node (hidden, at its natural width), so the font the person has is the one
 * measured.
 */
export function openLayoutOf(def: AnyNodeDefinition): OpenLayout {
  const known = measured.get(def.type)
  if (known) return known
  const choices: [string, number][] = []
  const host = document.createElement('div')
  host.className = 'node'
  host.setAttribute('aria-hidden', 'true')
  host.style.cssText = 'position:absolute;left:-10000px;top:0;visibility:hidden;width:auto'
  document.body.append(host)
  try {
    for (const [name, spec] of Object.entries(def.params)) {
      if (spec.type !== 'choice') continue
      const select = document.createElement('select')
      for (const option of spec.options) {
        const el = document.createElement('option')
        el.textContent = spec.optionLabels?.[option] ?? option
        select.append(el)
      }
      host.append(select)
      choices.push([name, select.offsetWidth])
    }
  } finally {
    host.remove()
  }
  const layout = openLayout(choices)
  // A page without layout (a test's DOM) measures 0: nothing to keep.
  if (choices.every(([, w]) => w > 0)) measured.set(def.type, layout)
  return layout
}
