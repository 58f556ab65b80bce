import { describe, expect, it } from 'vitest'
import { alwaysShown, OpenSettings } from '../../src/editor/nodes/open-settings'
import { registry } from '../../nodes'

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

  it('keeps what a node reads in view: its file, its first model, never a second model', () => {
    const shown = (type: string) => [...alwaysShown(Object.entries(registry.get(type)!.params))]
    expect(shown('audio/load')).toEqual(['file'])
    expect(shown('ml/stable-diffusion')).toEqual(['model'])
    expect(shown('dsp/stft')).toEqual([])
  })
})
