import { describe, expect, it } from 'vitest'
import {
  AUTOSAVE_KEY,
  BROKEN_AUTOSAVE_KEY,
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
