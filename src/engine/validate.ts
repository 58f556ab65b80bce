import { z } from 'zod'
import { kindOfInput } from './define-node'
import {
  GRAPH_FORMAT,
  GRAPH_VERSION,
  topologicalOrder,
  type GraphDocument,
  type GraphNode,
} from './document'
import { migrateForward, type Migration, MIGRATIONS } from './migrations'
import { paramProblem, paramValue, type StoredParamValue } from './params'
import type { NodeRegistry } from './registry'

/** One thing wrong with a document, located as precisely as we can. */
export interface Problem {
  message: string
  /** JSON path into the document, e.g. `nodes[2].params.iterations`. */
  path: string
  node?: string
  port?: string
  field?: string
}

export type ValidationResult =
  | { ok: true; graph: GraphDocument; notes: string[] }
  | { ok: false; problems: Problem[]; notes: string[] }

/** Bounds that keep a hostile or broken document from stalling the app. */
export const DOCUMENT_LIMITS = {
  nodes: 2000,
  edges: 8000,
  textLength: 100_000,
  bytes: 5_000_000,
  /** A graph nests about four levels (nodes[i].params.x); 32 leaves room for growth. */
  depth: 32,
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])
const id = z.string().min(1).max(200)
// Any number passes here, infinite ones too (JSON's 1e999 parses to Infinity): the param check
// below then names the param and says it must be finite, where zod would only say "Invalid input".
const anyNumber = z.custom<number>((v) => typeof v === 'number', 'expected a number')
const storedValue = z.union([anyNumber, z.boolean(), z.string().max(DOCUMENT_LIMITS.textLength)])

const nodeSchema = z.object({
  id,
  type: z.string().min(1).max(200),
  params: z.record(z.string(), storedValue).default({}),
  position: z.object({ x: z.number().finite(), y: z.number().finite() }).default({ x: 0, y: 0 }),
  mode: z.enum(['normal', 'bypass', 'mute']).default('normal'),
  label: z.string().max(200).optional(),
})

const portRef = z.object({ node: id, port: z.string().min(1).max(200) })

const seconds = z.number().finite().min(0).max(1e6)

/** The listening room (version 2). Lanes naming missing nodes are kept and simply not shown. */
const roomSchema = z.object({
  lanes: z
    .array(z.object({ node: id, port: id, pastEnd: z.enum(['loop', 'silence']).optional() }))
    .max(DOCUMENT_LIMITS.nodes)
    .default([]),
  removed: z.array(z.string().max(401)).max(DOCUMENT_LIMITS.nodes).default([]),
  loop: z
    .object({ startSec: seconds, endSec: seconds, on: z.boolean() })
    .refine((l) => l.endSec > l.startSec, 'the loop must end after it starts')
    .optional(),
  match: z.boolean().default(true),
  targetLufs: z.number().finite().min(-70).max(0).optional(),
  view: z
    .object({
      frequency: z.enum(['linear', 'log']).default('log'),
      zoom: z
        .object({ startSec: seconds, endSec: seconds })
        .refine((l) => l.endSec > l.startSec, 'the zoom must end after it starts')
        .optional(),
      pictures: z.boolean().default(false),
    })
    .default({ frequency: 'log', pictures: false }),
})

const documentSchema = z.object({
  format: z.literal(GRAPH_FORMAT),
  version: z.literal(GRAPH_VERSION),
  name: z.string().max(500).optional(),
  description: z.string().max(DOCUMENT_LIMITS.textLength).optional(),
  nodes: z.array(nodeSchema).max(DOCUMENT_LIMITS.nodes),
  edges: z.array(z.object({ from: portRef, to: portRef })).max(DOCUMENT_LIMITS.edges),
  room: roomSchema.optional(),
  // Ids of nodes it no longer has are harmless: the editor unfolds the nodes it finds.
  view: z.object({ unfolded: z.array(id).max(DOCUMENT_LIMITS.nodes) }).optional(),
})

/** Parses JSON text into a validated graph; never throws. */
export function parseGraphText(
  text: string,
  registry: NodeRegistry,
  migrations: readonly Migration[] = MIGRATIONS,
): ValidationResult {
  if (text.length > DOCUMENT_LIMITS.bytes) {
    const mb = (text.length / 1e6).toFixed(1)
    return failure(`The graph is ${mb} MB; graphs are at most 5 MB. Is this the right file?`)
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    return failure(`This is not valid JSON (${why}). Check that the file is a Synesthete graph.`)
  }
  return validateGraph(raw, registry, migrations)
}

/**
 * Checks a document against the schema and the node registry, migrating older versions
 * forward. Reports every problem found, each naming its node, port or field.
 */
export function validateGraph(
  raw: unknown,
  registry: NodeRegistry,
  migrations: readonly Migration[] = MIGRATIONS,
): ValidationResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return failure('A graph must be a JSON object with "format", "version", "nodes" and "edges".')
  }
  const record = raw as Record<string, unknown>
  if (record.format !== GRAPH_FORMAT) {
    return failure(
      `This is not a Synesthete graph: its "format" is ${describeFormat(record.format)}, expected "${GRAPH_FORMAT}".`,
      'format',
    )
  }
  // Before migrating: migrations clone the document, which deep nesting would overflow.
  const shape = findShapeProblem(record)
  if (shape) return { ok: false, problems: [shape], notes: [] }
  const migrated = migrateForward(record, migrations)
  if (!migrated.ok) return { ok: false, problems: [migrated.problem], notes: [] }

  const parsed = documentSchema.safeParse(migrated.doc)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => locate(issue, migrated.doc))
    return { ok: false, problems, notes: migrated.notes }
  }
  const graph: GraphDocument = parsed.data
  const problems = checkAgainstRegistry(graph, registry)
  return problems.length > 0
    ? { ok: false, problems, notes: migrated.notes }
    : { ok: true, graph, notes: migrated.notes }
}

/** The value in words, without serialising something huge or deeply nested. */
function describeFormat(value: unknown): string {
  if (value === undefined) return 'missing'
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 60))
  return Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`
}

function failure(message: string, path = ''): ValidationResult {
  return { ok: false, problems: [{ message, path }], notes: [] }
}

/**
 * Walks the parsed JSON without recursion (a hostile document can nest a million levels, which
 * would overflow the stack) for keys that could reach object prototypes and for nesting deeper
 * than any graph has.
 */
function findShapeProblem(root: unknown): Problem | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value: root, path: '', depth: 0 },
  ]
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as (typeof stack)[number]
    if (typeof value !== 'object' || value === null) continue
    if (depth >= DOCUMENT_LIMITS.depth) {
      return {
        message: `The document is nested more than ${DOCUMENT_LIMITS.depth} levels deep (at ${path}); a graph never is. It is damaged or not a Synesthete graph.`,
        path,
      }
    }
    for (const key of Object.keys(value)) {
      const here = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key
      if (FORBIDDEN_KEYS.has(key))
        return { message: `The key "${key}" is not allowed.`, path: here }
      stack.push({ value: (value as Record<string, unknown>)[key], path: here, depth: depth + 1 })
    }
  }
  return undefined
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('')
}

/** Turns a schema issue into a problem naming the node (by id) it concerns. */
function locate(issue: z.core.$ZodIssue, doc: Record<string, unknown>): Problem {
  const path = formatPath(issue.path)
  const [section, index, field, sub] = issue.path
  const problem: Problem = { message: `${path || 'document'}: ${issue.message}`, path }
  if (section === 'nodes' && typeof index === 'number') {
    const node = (doc.nodes as unknown[])[index] as { id?: unknown } | undefined
    const nodeId = typeof node?.id === 'string' ? node.id : `#${index}`
    problem.node = nodeId
    problem.field = field === 'params' && sub !== undefined ? String(sub) : String(field ?? '')
    problem.message = `Node "${nodeId}": ${String(field ?? 'entry')}${sub !== undefined ? `.${String(sub)}` : ''} ${issue.message}`
  }
  if (section === 'edges' && typeof index === 'number') {
    problem.message = `Edge ${index + 1}: ${formatPath(issue.path.slice(2)) || 'entry'} ${issue.message}`
  }
  return problem
}

function checkAgainstRegistry(graph: GraphDocument, registry: NodeRegistry): Problem[] {
  const problems: Problem[] = []
  const byId = new Map<string, GraphNode>()
  graph.nodes.forEach((node, i) => {
    if (byId.has(node.id)) {
      problems.push({
        message: `Two nodes share the id "${node.id}".`,
        path: `nodes[${i}].id`,
        node: node.id,
      })
    }
    byId.set(node.id, node)
    problems.push(...checkNode(node, i, registry))
  })
  const fed = new Set<string>()
  graph.edges.forEach((edge, i) => {
    const problem = checkEdge(edge, byId, registry, `edges[${i}]`)
    if (problem) problems.push(problem)
    const slot = `${edge.to.node}\u0000${edge.to.port}`
    if (fed.has(slot)) {
      problems.push({
        message: `Input "${edge.to.port}" of node "${edge.to.node}" has more than one connection; an input takes one.`,
        path: `edges[${i}]`,
        node: edge.to.node,
        port: edge.to.port,
      })
    }
    fed.add(slot)
  })
  if (problems.length === 0) {
    const { cyclic } = topologicalOrder(graph)
    if (cyclic.length > 0) {
      problems.push({
        message: `The graph has a cycle through ${cyclic.map((n) => `"${n}"`).join(', ')}; a node cannot depend on its own output. Remove one of those connections.`,
        path: 'edges',
        node: cyclic[0],
      })
    }
  }
  return problems
}

function checkNode(node: GraphNode, index: number, registry: NodeRegistry): Problem[] {
  const def = registry.get(node.type)
  const path = `nodes[${index}]`
  if (!def) {
    return [
      {
        message: `Node "${node.id}" has the unknown type "${node.type}". It may come from a newer Synesthete; update the app or remove the node.`,
        path: `${path}.type`,
        node: node.id,
        field: 'type',
      },
    ]
  }
  const problems: Problem[] = []
  const params: Record<string, StoredParamValue> = {}
  for (const [key, spec] of Object.entries(def.params)) {
    const value = paramValue(spec, node.params, key)
    const problem = paramProblem(spec, value)
    if (problem) {
      problems.push({
        message: `Node "${node.id}" (${def.title}): param "${key}" ${problem} (got ${typeof value === 'number' ? String(value) : JSON.stringify(value)}).`,
        path: `${path}.params.${key}`,
        node: node.id,
        field: key,
      })
    }
    params[key] = value
  }
  for (const key of Object.keys(node.params)) {
    if (!Object.hasOwn(def.params, key)) {
      problems.push({
        message: `Node "${node.id}" (${def.title}) has no param "${key}".`,
        path: `${path}.params.${key}`,
        node: node.id,
        field: key,
      })
    }
  }
  node.params = params
  return problems
}

function checkEdge(
  edge: GraphDocument['edges'][number],
  byId: Map<string, GraphNode>,
  registry: NodeRegistry,
  path: string,
): Problem | undefined {
  const from = byId.get(edge.from.node)
  const to = byId.get(edge.to.node)
  if (!from || !to) {
    const missing = !from ? edge.from.node : edge.to.node
    return { message: `A connection refers to the missing node "${missing}".`, path, node: missing }
  }
  const fromDef = registry.get(from.type)
  const toDef = registry.get(to.type)
  if (!fromDef || !toDef) return undefined // already reported as an unknown type
  const outKind = fromDef.outputs[edge.from.port]
  const inSpec = toDef.inputs[edge.to.port]
  if (!outKind) {
    return {
      message: `Node "${from.id}" (${fromDef.title}) has no output "${edge.from.port}".`,
      path: `${path}.from.port`,
      node: from.id,
      port: edge.from.port,
    }
  }
  if (!inSpec) {
    return {
      message: `Node "${to.id}" (${toDef.title}) has no input "${edge.to.port}".`,
      path: `${path}.to.port`,
      node: to.id,
      port: edge.to.port,
    }
  }
  const inKind = kindOfInput(inSpec)
  if (inKind !== outKind) {
    return {
      message: `Cannot connect the ${outKind} output "${edge.from.port}" of "${from.id}" to the ${inKind} input "${edge.to.port}" of "${to.id}": the kinds differ.`,
      path,
      node: to.id,
      port: edge.to.port,
    }
  }
  return undefined
}
