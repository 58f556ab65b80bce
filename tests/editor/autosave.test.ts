import { describe, expect, it } from 'vitest'
import {
  AUTOSAVE_KEY,
  AUTOSAVE_OPEN_KEY,
  BROKEN_AUTOSAVE_KEY,
  createAutosaver,
  restoreAutosave,
  saveAutosave,
  type KeyValueStorage,
} from '../../src/editor/store/autosave'
import { graphOf, testRegistry } from '../helpers/test-nodes'

function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage & {
  data: Map<string, string>
} {
  const data = new Map(Object.entries(initial))
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  }
}

describe('autosave', () => {
  it('restores what it saved', () => {
    const storage = memoryStorage()
    const graph = graphOf([{ id: 'c', type: 'test/constant', params: { value: 4 } }])
    expect(saveAutosave(storage, graph)).toEqual({ ok: true })
    const restored = restoreAutosave(storage, testRegistry)
    expect(restored.kind).toBe('restored')
    if (restored.kind === 'restored') expect(restored.graph.nodes[0].params.value).toBe(4)
  })

  it('keeps which nodes are unfolded with the graph they belong to, and with no other', () => {
    const storage = memoryStorage()
    const graph = graphOf([
      { id: 'a', type: 'test/constant', params: { value: 1 } },
      { id: 'b', type: 'test/constant', params: { value: 2 } },
    ])
    saveAutosave(storage, graph, ['b', 'gone'])
    const restored = restoreAutosave(storage, testRegistry)
    // 'gone' is no node of the graph: only 'b' opens unfolded.
    expect(restored.kind === 'restored' && restored.open).toEqual(['b'])

    // The autosave replaced by another graph (another tab, a test): its nodes open folded, even
    // where their ids are the same.
    const other = graphOf([{ id: 'b', type: 'test/constant', params: { value: 3 } }])
    storage.data.set(AUTOSAVE_KEY, JSON.stringify(other))
    const replaced = restoreAutosave(storage, testRegistry)
    expect(replaced.kind === 'restored' && replaced.open).toEqual([])

    // Unreadable view state is no reason to lose the graph.
    saveAutosave(storage, graph, ['a'])
    storage.data.set(AUTOSAVE_OPEN_KEY, '{"graph": oops')
    const damaged = restoreAutosave(storage, testRegistry)
    expect(damaged.kind).toBe('restored')
    expect(damaged.kind === 'restored' && damaged.open).toEqual([])
  })

  it('saves the unfolded nodes of the moment it writes', () => {
    const storage = memoryStorage()
    let open = ['a']
    const saver = createAutosaver(
      storage,
      () => {},
      10,
      () => open,
    )
    const graph = graphOf([{ id: 'a', type: 'test/constant', params: { value: 1 } }])
    saver.schedule(graph)
    open = []
    saver.flush()
    const restored = restoreAutosave(storage, testRegistry)
    expect(restored.kind === 'restored' && restored.open).toEqual([])
    open = ['a']
    saver.schedule(graph)
    saver.flush()
    const again = restoreAutosave(storage, testRegistry)
    expect(again.kind === 'restored' && again.open).toEqual(['a'])
  })

  it('reports nothing saved on a first visit', () => {
    expect(restoreAutosave(memoryStorage(), testRegistry)).toEqual({ kind: 'none' })
  })

  it('sets aside a corrupt autosave and says what is wrong, without throwing', () => {
    const storage = memoryStorage({ [AUTOSAVE_KEY]: '{"format":"synesthete-graph", oops' })
    const restored = restoreAutosave(storage, testRegistry)
    expect(restored.kind).toBe('unreadable')
    if (restored.kind === 'unreadable') {
      expect(restored.problems[0]).toMatch(/not valid JSON/)
      expect(restored.text).toContain('oops')
    }
    expect(storage.data.get(BROKEN_AUTOSAVE_KEY)).toContain('oops')
  })

  it('refuses a saved graph that names an unknown node kind', () => {
    const bad = graphOf([{ id: 'q', type: 'test/does-not-exist' }])
    const storage = memoryStorage({ [AUTOSAVE_KEY]: JSON.stringify(bad) })
    const restored = restoreAutosave(storage, testRegistry)
    expect(restored.kind).toBe('unreadable')
    if (restored.kind === 'unreadable') expect(restored.problems[0]).toMatch(/"q"/)
  })

  it('survives storage that throws', () => {
    const storage: KeyValueStorage = {
      getItem: () => {
        throw new Error('denied')
      },
      setItem: () => {
        throw new Error('quota exceeded')
      },
      removeItem: () => {},
    }
    expect(restoreAutosave(storage, testRegistry)).toEqual({ kind: 'none' })
    const saved = saveAutosave(storage, graphOf([]))
    expect(saved.ok).toBe(false)
  })
})
