import { describe, expect, it } from 'vitest'
import { registry } from '../../nodes'
import { base64UrlDecode, base64UrlEncode } from '../../src/engine/base64url'
import { GRAPH_FORMAT, type GraphDocument } from '../../src/engine/document'
import { MIGRATIONS, type Migration } from '../../src/engine/migrations'
import {
  readShareFragment,
  shareFragment,
  sharePayload,
  shareUrl,
} from '../../src/engine/share-link'
import { validateGraph, type ValidationResult } from '../../src/engine/validate'

const graph: GraphDocument = {
  format: GRAPH_FORMAT,
  version: 2,
  name: 'Tiny — “quoted” ✓',
  nodes: [
    {
      id: 'load',
      type: 'audio/load',
      params: { file: 'blob:' + 'a'.repeat(64) + '/my%20song.wav' },
      position: { x: 0, y: 0 },
      mode: 'normal',
    },
    { id: 'out', type: 'audio/output', params: {}, position: { x: 300, y: 0 }, mode: 'normal' },
  ],
  edges: [{ from: { node: 'load', port: 'audio' }, to: { node: 'out', port: 'audio' } }],
}

/** The document as any load gives it back: validated, defaults filled in. */
const checked = (doc: GraphDocument) => {
  const result = validateGraph(structuredClone(doc), registry)
  if (!result.ok) throw new Error(result.problems[0].message)
  return result.graph
}

const deflate = async (text: string) => {
  const stream = new Blob([new TextEncoder().encode(text)])
    .stream()
    .pipeThrough(new CompressionStream('deflate-raw'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/** A fragment carrying any text, as a hostile or broken link would. */
const linkOf = async (text: string) => `#graph=${base64UrlEncode(await deflate(text))}`

const problem = (result: ValidationResult | undefined) =>
  result && !result.ok ? result.problems.map((p) => p.message).join('\n') : 'opened'

describe('base64url', () => {
  it('round-trips every length and byte value, without padding or URL-unsafe characters', () => {
    for (let length = 0; length < 70; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 97 + length * 31) & 255)
      const text = base64UrlEncode(bytes)
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/)
      expect(base64UrlDecode(text)).toEqual(bytes)
    }
  })

  it('refuses characters outside its alphabet and impossible lengths', () => {
    expect(base64UrlDecode('ab+c')).toBeUndefined()
    expect(base64UrlDecode('abcde')).toBeUndefined()
    expect(base64UrlDecode('ab c')).toBeUndefined()
    expect(base64UrlDecode('ab€c')).toBeUndefined()
  })
})

describe('share links', () => {
  it('carry a graph in the fragment and give back an equal document', async () => {
    const url = await shareUrl('https://example.org/app/?x=1#old', graph)
    expect(url.startsWith('https://example.org/app/?x=1#graph=')).toBe(true)
    const result = await readShareFragment(new URL(url).hash, registry)
    expect(result?.ok).toBe(true)
    if (result?.ok) expect(result.graph).toEqual(checked(graph))
  })

  it('keep local file references (name and hash), never the file', async () => {
    const fragment = await shareFragment(graph)
    const result = await readShareFragment(`#${fragment}`, registry)
    expect(result?.ok && result.graph.nodes[0].params.file).toBe(graph.nodes[0].params.file)
    expect(fragment.length).toBeLessThan(600)
  })

  it('find the graph among other fragment keys, and ignore fragments without one', async () => {
    const fragment = await shareFragment(graph)
    expect(sharePayload(`#view=1&${fragment}`)).toBe(fragment.slice('graph='.length))
    expect(await readShareFragment('', registry)).toBeUndefined()
    expect(await readShareFragment('#section-2', registry)).toBeUndefined()
  })

  it('migrate an older document with a note', async () => {
    const migrations: Migration[] = [
      { from: 0, note: 'nothing changed', migrate: (d) => d },
      ...MIGRATIONS,
    ]
    const old = await linkOf(JSON.stringify({ ...graph, version: 0 }))
    const result = await readShareFragment(old, registry, migrations)
    expect(result?.ok && result.notes[0]).toBe('Updated from version 0 to 1: nothing changed')
  })
})

describe('an untrusted link gets a clear message', () => {
  it.each([
    ['an empty graph part', '#graph=', /carries no graph/],
    ['characters outside base64url', '#graph=abc$def', /damaged: it holds characters/],
    [
      'bytes that are not deflate',
      `#graph=${base64UrlEncode(new Uint8Array([255, 255, 255, 7]))}`,
      /cannot be unpacked|incomplete|damaged/,
    ],
    ['an over-long fragment', `#graph=${'A'.repeat(2_000_004)}`, /million characters/],
  ])('%s', async (_, hash, message) => {
    expect(problem(await readShareFragment(hash, registry))).toMatch(message)
  })

  it('a link cut short when copied', async () => {
    const full = await shareFragment(graph)
    const cut = `#${full.slice(0, Math.floor(full.length * 0.6))}`
    expect(problem(await readShareFragment(cut, registry))).toMatch(/incomplete|cut short|damaged/)
  })

  it('malformed JSON, wrong types, unknown node types, newer versions, __proto__', async () => {
    const cases: [string, RegExp][] = [
      ['{"format": "synesthete-graph", ', /incomplete/],
      ['[1,2,3]', /must be a JSON object/],
      [JSON.stringify({ ...graph, nodes: 'many' }), /nodes/],
      [
        JSON.stringify({ ...graph, nodes: [{ ...graph.nodes[0], type: 'evil/eval' }] }),
        /unknown type "evil\/eval"/,
      ],
      [JSON.stringify({ ...graph, version: 99 }), /newer Synesthete/],
      [
        '{"format":"synesthete-graph","version":1,"nodes":[],"edges":[],"__proto__":{"polluted":1}}',
        /"__proto__" is not allowed/,
      ],
    ]
    for (const [text, message] of cases) {
      expect(problem(await readShareFragment(await linkOf(text), registry))).toMatch(message)
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('a deeply nested document, and a small link that would inflate past the size limit', async () => {
    const deep = `{"format":"synesthete-graph","version":1,"nodes":[],"edges":[],"x":${'['.repeat(200_000)}${']'.repeat(200_000)}}`
    expect(problem(await readShareFragment(await linkOf(deep), registry))).toMatch(
      /nested more than/,
    )
    const bomb = await linkOf(' '.repeat(6_000_000))
    expect(bomb.length).toBeLessThan(20_000)
    expect(problem(await readShareFragment(bomb, registry))).toMatch(/unpacks to more than 5 MB/)
  })

  it('text that is not UTF-8', async () => {
    const bytes = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])
    const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'))
    const packed = new Uint8Array(await new Response(stream).arrayBuffer())
    const result = await readShareFragment(`#graph=${base64UrlEncode(packed)}`, registry)
    expect(problem(result)).toMatch(/not text/)
  })
})
