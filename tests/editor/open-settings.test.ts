import { describe, expect, it } from 'vitest'
import {
  alwaysShown,
  OpenSettings,
  takeUnfolded,
  withUnfolded,
} from '../../src/editor/nodes/open-settings'
import { openLayout } from '../../src/editor/nodes/open-width'
import { parseGraphText } from '../../src/engine/validate'
import { registry } from '../../nodes'
import { graphOf, testRegistry } from '../helpers/test-nodes'

describe('folded settings', () => {
  it('tells only the toggled node, and folds every node again', () => {
    const settings = new OpenSettings()
    const heard: string[] = []
    settings.subscribe('a', () => heard.push('a'))
    settings.subscribe('b', () => heard.push('b'))
    settings.toggle('a')
    settings.set('a', true) // no change: nobody told
    expect(settings.isOpen('a')).toBe(true)
    expect(settings.isOpen('b')).toBe(false)
    expect(heard).toEqual(['a'])
    settings.set('b', true)
    settings.foldAll()
    expect([settings.isOpen('a'), settings.isOpen('b')]).toEqual([false, false])
    expect(heard).toEqual(['a', 'b', 'a', 'b'])
  })

  it('starts from the nodes a reload restores, lists them, and tells whoever saves them', () => {
    const settings = new OpenSettings(['x'])
    expect(settings.isOpen('x')).toBe(true)
    let changes = 0
    const stop = settings.onChange(() => changes++)
    settings.set('y', true)
    settings.set('y', true) // no change
    settings.toggle('x')
    expect(settings.ids()).toEqual(['y'])
    expect(changes).toBe(2)
    stop()
    settings.foldAll()
    expect(changes).toBe(2)
    expect(settings.ids()).toEqual([])
  })

  it('keeps what a node reads in view: its file, its first model, never a second model', () => {
    const shown = (type: string) => [...alwaysShown(Object.entries(registry.get(type)!.params))]
    expect(shown('audio/load')).toEqual(['file'])
    expect(shown('ml/stable-diffusion')).toEqual(['model'])
    expect(shown('dsp/stft')).toEqual([])
  })
})

describe('an unfolded node’s width', () => {
  it('stays 260 px when every choice fits beside its label', () => {
    // 260 − 22 (padding, border) − 98 (label column) = 140 px for a select.
    expect(openLayout([['a', 140]])).toEqual({ width: 260, wide: new Set() })
    expect(openLayout([])).toEqual({ width: 260, wide: new Set() })
  })

  it('widens up to 320 px to keep a choice beside its label', () => {
    expect(openLayout([['a', 141]])).toEqual({ width: 261, wide: new Set() })
    expect(openLayout([['a', 200]])).toEqual({ width: 320, wide: new Set() })
  })

  it('gives a longer choice a row of its own, the node up to 420 px, and no more', () => {
    // 201 px beside its label would need 321: under its label it needs 223, less than 260.
    expect(openLayout([['a', 201]])).toEqual({ width: 260, wide: new Set(['a']) })
    expect(openLayout([['a', 300]])).toEqual({ width: 322, wide: new Set(['a']) })
    expect(openLayout([['a', 500]])).toEqual({ width: 420, wide: new Set(['a']) })
    // The widest row sets the width; a choice that then fits beside its label stays there.
    expect(
      openLayout([
        ['long', 340],
        ['mid', 240],
        ['short', 90],
      ]),
    ).toEqual({
      width: 362,
      wide: new Set(['long']),
    })
  })
})

describe('unfolded nodes in a kept or shared graph', () => {
  const graph = graphOf([
    { id: 'a', type: 'test/constant', params: { value: 1 } },
    { id: 'b', type: 'test/constant', params: { value: 2 } },
  ])

  it('carries the nodes unfolded now, and only those the graph has', () => {
    const settings = new OpenSettings(['b', 'gone'])
    const kept = withUnfolded(graph, settings)
    expect(kept.view).toEqual({ unfolded: ['b'] })
    expect(kept.nodes).toEqual(graph.nodes)
    // All folded: no view at all, so a graph kept folded reads as before.
    expect('view' in withUnfolded(kept, new OpenSettings())).toBe(false)
  })

  it('survives validation (a link or My graphs entry) and comes apart again when opened', () => {
    const text = JSON.stringify(withUnfolded(graph, new OpenSettings(['a'])))
    const parsed = parseGraphText(text, testRegistry)
    if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '))
    expect(parsed.graph.view).toEqual({ unfolded: ['a'] })
    const opened = takeUnfolded({ ...parsed.graph, view: { unfolded: ['a', 'missing'] } })
    expect(opened.unfolded).toEqual(['a'])
    expect('view' in opened.graph).toBe(false)
    expect(opened.graph.nodes).toEqual(parsed.graph.nodes)
  })

  it('refuses a view that is not a list of node ids', () => {
    const bad = { ...graph, view: { unfolded: 'a' } }
    expect(parseGraphText(JSON.stringify(bad), testRegistry).ok).toBe(false)
  })
})
