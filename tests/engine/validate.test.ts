import { describe, expect, it } from 'vitest'
import { GRAPH_FORMAT, GRAPH_VERSION } from '../../src/engine/document'
import { MIGRATIONS, type Migration } from '../../src/engine/migrations'
import { parseGraphText, validateGraph } from '../../src/engine/validate'
import { graphOf, testRegistry } from '../helpers/test-nodes'

const messages = (raw: unknown) => {
  const result = validateGraph(raw, testRegistry)
  return result.ok ? [] : result.problems.map((p) => p.message)
}

describe('validateGraph', () => {
  it('accepts a good graph and fills omitted params and modes with their defaults', () => {
    const raw = {
      format: GRAPH_FORMAT,
      version: 1,
      nodes: [{ id: 'a', type: 'test/add', position: { x: 1, y: 2 } }],
      edges: [],
    }
    const result = validateGraph(raw, testRegistry)
    expect(result.ok).toBe(true)
    if (result.ok)
      expect(result.graph.nodes[0]).toMatchObject({ params: { offset: 0 }, mode: 'normal' })
  })

  it('refuses something that is not a graph, saying what it expected', () => {
    expect(messages([1, 2])[0]).toMatch(/JSON object/)
    expect(messages({ format: 'comfyui', version: 1 })[0]).toMatch(
      /not a Synesthete graph.*"comfyui"/,
    )
  })

  it('refuses a future schema version with a message that says to update', () => {
    const [message] = messages({ format: GRAPH_FORMAT, version: 99, nodes: [], edges: [] })
    expect(message).toMatch(/newer Synesthete \(schema version 99; this app reads up to 2\)/)
  })

  it('reports every problem, each naming its node and field', () => {
    const graph = graphOf(
      [
        { id: 'a', type: 'test/add', params: { offset: 1000, bogus: 1 } },
        { id: 'b', type: 'test/unknown' },
        { id: 'a', type: 'test/constant', params: { value: 'loud' } },
      ],
      ['a.sum->zzz.a'],
    )
    const result = validateGraph(graph, testRegistry)
    expect(result.ok).toBe(false)
    if (result.ok) return
    const byField = result.problems.map((p) => [p.node, p.field ?? p.port, p.message])
    expect(byField).toContainEqual([
      'a',
      'offset',
      expect.stringMatching(/at most 100 \(got 1000\)/),
    ])
    expect(byField).toContainEqual(['a', 'bogus', expect.stringMatching(/no param "bogus"/)])
    expect(byField).toContainEqual([
      'b',
      'type',
      expect.stringMatching(/unknown type "test\/unknown"/),
    ])
    expect(byField).toContainEqual(['a', 'value', expect.stringMatching(/finite number/)])
    expect(result.problems.some((p) => /share the id "a"/.test(p.message))).toBe(true)
    expect(result.problems.some((p) => /missing node "zzz"/.test(p.message))).toBe(true)
  })

  it('locates schema errors by node id and path', () => {
    const raw = {
      format: GRAPH_FORMAT,
      version: 1,
      nodes: [{ id: 'n1', type: 'test/add', mode: 'loud' }],
      edges: [],
    }
    const result = validateGraph(raw, testRegistry)
    expect(result.ok).toBe(false)
    if (!result.ok)
      expect(result.problems[0]).toMatchObject({ node: 'n1', field: 'mode', path: 'nodes[0].mode' })
  })

  it('refuses two connections into one input', () => {
    const graph = graphOf(
      [
        { id: 'x', type: 'test/constant' },
        { id: 'y', type: 'test/constant' },
        { id: 's', type: 'test/add' },
      ],
      ['x.value->s.a', 'y.value->s.a'],
    )
    expect(messages(graph).join()).toMatch(/Input "a" of node "s" has more than one connection/)
  })

  it('refuses keys that could reach object prototypes', () => {
    const text = `{"format":"${GRAPH_FORMAT}","version":1,"nodes":[{"id":"a","type":"test/add","params":{"__proto__":{"x":1}}}],"edges":[]}`
    const result = parseGraphText(text, testRegistry)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.problems[0].message).toMatch(/"__proto__" is not allowed/)
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })

  it('reports malformed JSON and oversized text without throwing', () => {
    const bad = parseGraphText('{"format": ', testRegistry)
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.problems[0].message).toMatch(/not valid JSON/)
    const huge = parseGraphText(' '.repeat(5_000_001), testRegistry)
    expect(huge.ok).toBe(false)
    if (!huge.ok) expect(huge.problems[0].message).toMatch(/at most 5 MB/)
  })

  it('refuses deeply nested input in words, without overflowing the stack', () => {
    for (const depth of [5000, 1_000_000]) {
      const deep = `{"format":"${GRAPH_FORMAT}","version":1,"nodes":[],"edges":[],"x":${'['.repeat(depth)}${']'.repeat(depth)}}`
      const result = parseGraphText(deep, testRegistry)
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.problems[0].message).toMatch(/nested more than 32 levels/)
    }
    const deepFormat = `{"format":${'['.repeat(100_000)}${']'.repeat(100_000)}}`
    expect(messages(JSON.parse(deepFormat))[0]).toMatch(/"format" is a list/)
  })

  it('migrates older documents forward, step by step, with a note per step', () => {
    const migrations: Migration[] = [
      {
        from: 0,
        note: 'nodes were called "blocks"',
        migrate: ({ blocks, ...rest }) => ({ ...rest, nodes: blocks }),
      },
    ]
    const old = {
      format: GRAPH_FORMAT,
      version: 0,
      blocks: [{ id: 'a', type: 'test/constant' }],
      edges: [],
    }
    const result = validateGraph(old, testRegistry, [...migrations, ...MIGRATIONS])
    expect(result.ok).toBe(true)
    if (result.ok) {
      expect(result.graph.version).toBe(GRAPH_VERSION)
      expect(result.graph.nodes[0].id).toBe('a')
      expect(result.notes[0]).toBe('Updated from version 0 to 1: nodes were called "blocks"')
      expect(result.notes).toHaveLength(GRAPH_VERSION)
    }
    expect(messages(old)[0]).toMatch(/No migration from schema version 0/)
  })
})

describe('the listening room in the document (schema version 2)', () => {
  const v1 = {
    format: GRAPH_FORMAT,
    version: 1,
    name: 'old',
    nodes: [
      {
        id: 'a',
        type: 'test/constant',
        params: { value: 1 },
        position: { x: 1, y: 2 },
        mode: 'normal',
      },
    ],
    edges: [],
  }

  it('opens a version-1 graph unchanged but for its version, with a note', () => {
    const result = validateGraph(structuredClone(v1), testRegistry)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.graph).toEqual({ ...v1, version: 2 })
    expect(result.graph.room).toBeUndefined()
    expect(result.notes).toEqual([
      'Updated from version 1 to 2: graphs can now keep their listening room; nothing else changed',
    ])
  })

  it('keeps a saved room and fills what it leaves out with defaults', () => {
    const room = {
      lanes: [{ node: 'a', port: 'out', pastEnd: 'silence' }],
      loop: { startSec: 1, endSec: 2.5, on: true },
    }
    const result = validateGraph({ ...v1, version: 2, room }, testRegistry)
    expect(result.ok && result.graph.room).toEqual({
      ...room,
      removed: [],
      match: true,
      view: { frequency: 'log', pictures: false },
    })
  })

  it('refuses a loop that ends before it starts, naming the field', () => {
    const room = { loop: { startSec: 3, endSec: 1, on: true } }
    const problems = messages({ ...v1, version: 2, room })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/room\.loop.*end after it starts/)
  })
})
