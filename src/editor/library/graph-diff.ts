import type { AnyNodeDefinition } from '../../engine/define-node'
import type { GraphDocument, GraphNode } from '../../engine/document'
import { paramValue, type ParamSpec, type StoredParamValue } from '../../engine/params'
import type { NodeRegistry } from '../../engine/registry'
import { formatNumber } from '../preview/format'

/**
 * What differs between two graphs, in the words of the controls: which settings of which node,
 * which nodes only one has, which connections. Made for comparing readings of one sound, where
 * the graphs mostly share their nodes and differ in a few settings.
 */

export interface SettingDiff {
  param: string
  label: string
  /** What the setting does (the param's description), to explain the difference. */
  hint?: string
  a: string
  b: string
}

export interface NodeDiff {
  /** The node in A (or in B when only B has it). */
  id: string
  idB?: string
  name: string
  type: string
  settings: SettingDiff[]
}

export interface GraphDiff {
  changed: NodeDiff[]
  onlyA: NodeDiff[]
  onlyB: NodeDiff[]
  /** Connections in words ("Sound → Spectrogram"), by which graph has them. */
  wiresOnlyA: string[]
  wiresOnlyB: string[]
  same: number
}

const nameOf = (node: GraphNode, def: AnyNodeDefinition | undefined) =>
  node.label ?? def?.title ?? node.type

/** A stored value as the control shows it: option labels, units, on/off. */
export function formatSetting(spec: ParamSpec | undefined, value: StoredParamValue): string {
  if (!spec) return JSON.stringify(value)
  switch (spec.type) {
    case 'bool':
      return value ? 'on' : 'off'
    case 'choice':
      return spec.optionLabels?.[String(value)] ?? String(value)
    case 'file': {
      const ref = String(value)
      if (!ref) return 'no file'
      const name =
        ref
          .replace(/^[a-z]+:/, '')
          .split('/')
          .at(-1) ?? ref
      return safeDecode(ref.startsWith('blob:') ? name : ref.replace(/^(sample|file):/, ''))
    }
    case 'text':
      return String(value).trim() ? `“${String(value)}”` : '(empty)'
    default:
      return `${formatNumber(Number(value))}${spec.unit ? ` ${spec.unit}` : ''}`
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

const valueOf = (node: GraphNode, key: string, spec: ParamSpec | undefined) =>
  paramValue(spec, node.params, key) ?? ''

/** Matches nodes by id (with the same type), then leftovers of a type that each graph has once. */
function matchNodes(a: GraphDocument, b: GraphDocument): Map<GraphNode, GraphNode> {
  const pairs = new Map<GraphNode, GraphNode>()
  const byIdB = new Map(b.nodes.map((n) => [n.id, n]))
  const used = new Set<GraphNode>()
  for (const node of a.nodes) {
    const other = byIdB.get(node.id)
    if (other && other.type === node.type) {
      pairs.set(node, other)
      used.add(other)
    }
  }
  const leftA = a.nodes.filter((n) => !pairs.has(n))
  const leftB = b.nodes.filter((n) => !used.has(n))
  for (const node of leftA) {
    const sameA = leftA.filter((n) => n.type === node.type)
    const sameB = leftB.filter((n) => n.type === node.type)
    if (sameA.length === 1 && sameB.length === 1) pairs.set(node, sameB[0])
  }
  return pairs
}

function settingsDiff(a: GraphNode, b: GraphNode, def: AnyNodeDefinition | undefined) {
  const settings: SettingDiff[] = []
  if (a.mode !== b.mode)
    settings.push({
      param: 'mode',
      label: 'Mode',
      a: a.mode,
      b: b.mode,
      hint: 'Bypassed nodes pass their input through; muted ones give nothing.',
    })
  const keys = new Set([
    ...Object.keys(def?.params ?? {}),
    ...Object.keys(a.params),
    ...Object.keys(b.params),
  ])
  for (const key of keys) {
    const spec = def?.params[key]
    const va = valueOf(a, key, spec)
    const vb = valueOf(b, key, spec)
    if (va === vb) continue
    settings.push({
      param: key,
      label: spec?.label ?? key,
      hint: spec?.description,
      a: formatSetting(spec, va),
      b: formatSetting(spec, vb),
    })
  }
  return settings
}

function describeNode(node: GraphNode, registry: NodeRegistry): NodeDiff {
  const def = registry.get(node.type)
  return { id: node.id, name: nameOf(node, def), type: def?.title ?? node.type, settings: [] }
}

export function diffGraphs(a: GraphDocument, b: GraphDocument, registry: NodeRegistry): GraphDiff {
  const pairs = matchNodes(a, b)
  const matchedB = new Set(pairs.values())
  const changed: NodeDiff[] = []
  let same = 0
  for (const [na, nb] of pairs) {
    const def = registry.get(na.type)
    const settings = settingsDiff(na, nb, def)
    if (settings.length === 0) same++
    else changed.push({ ...describeNode(na, registry), idB: nb.id, settings })
  }
  // Wires in A's names: B's node ids are mapped to their partners in A where they have one.
  const toA = new Map([...pairs].map(([na, nb]) => [nb.id, na.id]))
  const names = new Map<string, string>()
  for (const n of a.nodes) names.set(`a:${n.id}`, nameOf(n, registry.get(n.type)))
  for (const n of b.nodes) names.set(`b:${n.id}`, nameOf(n, registry.get(n.type)))
  const wire = (side: 'a' | 'b', from: string, fromPort: string, to: string, toPort: string) =>
    `${names.get(`${side}:${from}`) ?? from} (${fromPort}) → ${names.get(`${side}:${to}`) ?? to} (${toPort})`
  const keyA = a.edges.map((e) => `${e.from.node}.${e.from.port}>${e.to.node}.${e.to.port}`)
  const keyB = b.edges.map(
    (e) =>
      `${toA.get(e.from.node) ?? `#${e.from.node}`}.${e.from.port}>${toA.get(e.to.node) ?? `#${e.to.node}`}.${e.to.port}`,
  )
  const setA = new Set(keyA)
  const setB = new Set(keyB)
  return {
    changed,
    onlyA: a.nodes.filter((n) => !pairs.has(n)).map((n) => describeNode(n, registry)),
    onlyB: b.nodes.filter((n) => !matchedB.has(n)).map((n) => describeNode(n, registry)),
    wiresOnlyA: a.edges
      .filter((_, i) => !setB.has(keyA[i]))
      .map((e) => wire('a', e.from.node, e.from.port, e.to.node, e.to.port)),
    wiresOnlyB: b.edges
      .filter((_, i) => !setA.has(keyB[i]))
      .map((e) => wire('b', e.from.node, e.from.port, e.to.node, e.to.port)),
    same,
  }
}
