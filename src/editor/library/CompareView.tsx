import { useMemo } from 'react'
import type { Preset } from '../presets'
import type { EditorServices } from '../services'
import { diffGraphs, type NodeDiff } from './graph-diff'
import { allGraphs, refFromKey, refKey, type ShownGraph } from './graph-refs'
import { openEntry, openPreset } from './library-actions'
import type { GraphRef } from './library-ui'
import { Thumbnail } from './Thumbnail'

/**
 * Two graphs side by side and what differs between them, setting by setting, in the words of
 * the controls and with what each setting does: how two readings of a sound differ.
 */
export function CompareView(props: {
  services: EditorServices
  presets: readonly Preset[]
  pair: [GraphRef, GraphRef]
}) {
  const { services, presets, pair } = props
  const graphs = allGraphs(services, presets)
  const [a, b] = pair.map((ref) => graphs.find((g) => g.key === refKey(ref)) ?? graphs[0])
  const diff = useMemo(
    () => (a.graph && b.graph ? diffGraphs(a.graph, b.graph, services.registry) : undefined),
    [a.graph, b.graph, services.registry],
  )
  const choose = (side: 0 | 1, key: string) => {
    const next: [GraphRef, GraphRef] = [...pair]
    next[side] = refFromKey(key)
    services.library.ui.set({ browser: { tab: 'compare', compare: next } })
  }
  return (
    <div className="compare" data-testid="compare">
      <div className="compare-sides">
        {[a, b].map((shown, side) => (
          <Side
            key={side}
            services={services}
            presets={presets}
            shown={shown}
            options={graphs}
            letter={side === 0 ? 'A' : 'B'}
            onChoose={(key) => choose(side as 0 | 1, key)}
          />
        ))}
      </div>
      {diff && <Differences diff={diff} />}
    </div>
  )
}

function Side(props: {
  services: EditorServices
  presets: readonly Preset[]
  shown: ShownGraph
  options: ShownGraph[]
  letter: string
  onChoose: (key: string) => void
}) {
  const { services, presets, shown, options, letter, onChoose } = props
  const open = () => {
    services.library.ui.set({ browser: undefined })
    const { ref } = shown
    if (ref.kind === 'preset') {
      const preset = presets.find((p) => p.file === ref.file)
      if (preset) void openPreset(services, preset)
    } else if (ref.kind === 'mine') {
      const entry = services.library.graphs.get(ref.id)
      if (entry) void openEntry(services, entry)
    }
  }
  return (
    <div className="compare-side">
      <label className="compare-pick">
        <span className="compare-letter">{letter}</span>
        <select
          value={shown.key}
          onChange={(e) => onChoose(e.target.value)}
          aria-label={`Graph ${letter}`}
        >
          {options.map((o) => (
            <option key={o.key} value={o.key} disabled={!o.graph}>
              {o.name}
            </option>
          ))}
        </select>
      </label>
      <Thumbnail
        graph={shown.graph}
        registry={services.registry}
        src={shown.thumbnail}
        label={shown.name}
      />
      {shown.ref.kind !== 'current' && (
        <button type="button" onClick={open}>
          Open {letter}
        </button>
      )}
    </div>
  )
}

function Differences({ diff }: { diff: ReturnType<typeof diffGraphs> }) {
  const settings = diff.changed.reduce((n, c) => n + c.settings.length, 0)
  const nothing =
    settings === 0 &&
    !diff.onlyA.length &&
    !diff.onlyB.length &&
    !diff.wiresOnlyA.length &&
    !diff.wiresOnlyB.length
  return (
    <div className="compare-diff" data-testid="compare-diff">
      <p className="compare-summary">
        {nothing
          ? 'These graphs do the same thing: every node, setting and connection is equal.'
          : summary(diff, settings)}
      </p>
      {diff.changed.map((node) => (
        <NodeTable key={node.id} node={node} />
      ))}
      <ListSection title="Only in A" items={nodeItems(diff.onlyA)} />
      <ListSection title="Only in B" items={nodeItems(diff.onlyB)} />
      <ListSection title="Connections only in A" items={wireItems(diff.wiresOnlyA)} />
      <ListSection title="Connections only in B" items={wireItems(diff.wiresOnlyB)} />
    </div>
  )
}

function summary(diff: ReturnType<typeof diffGraphs>, settings: number): string {
  const parts = [
    `${settings} setting${settings === 1 ? '' : 's'} differ in ${diff.changed.length} node${diff.changed.length === 1 ? '' : 's'}`,
  ]
  if (diff.onlyA.length)
    parts.push(`${diff.onlyA.length} node${diff.onlyA.length === 1 ? '' : 's'} only in A`)
  if (diff.onlyB.length) parts.push(`${diff.onlyB.length} only in B`)
  parts.push(`${diff.same} node${diff.same === 1 ? ' is' : 's are'} the same`)
  return `${parts.join(', ')}.`
}

function NodeTable({ node }: { node: NodeDiff }) {
  return (
    <section className="compare-node">
      <h4>
        {node.name} <span className="compare-type">{node.type}</span>
      </h4>
      <table>
        <thead>
          <tr>
            <th>Setting</th>
            <th>A</th>
            <th>B</th>
          </tr>
        </thead>
        <tbody>
          {node.settings.map((s) => (
            <tr key={s.param}>
              <td>
                <div className="compare-setting">{s.label}</div>
                {s.hint && <div className="compare-hint">{s.hint}</div>}
              </td>
              <td className="compare-value">{s.a}</td>
              <td className="compare-value">{s.b}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

/** A titled list (nodes or connections one graph has and the other lacks); nothing when empty. */
function ListSection({
  title,
  items,
}: {
  title: string
  items: { key: string; text: string; sub?: string }[]
}) {
  if (items.length === 0) return null
  return (
    <section className="compare-node">
      <h4>{title}</h4>
      <ul>
        {items.map((item) => (
          <li key={item.key}>
            {item.text} {item.sub && <span className="compare-type">{item.sub}</span>}
          </li>
        ))}
      </ul>
    </section>
  )
}

const nodeItems = (nodes: NodeDiff[]) =>
  nodes.map((n) => ({ key: n.id, text: n.name, sub: n.type }))
const wireItems = (wires: string[]) => wires.map((w) => ({ key: w, text: w }))
