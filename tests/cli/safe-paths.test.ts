import { mkdtempSync, readdirSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { pathInside, safePathIn, UniqueNames } from '../../src/cli/safe-paths'
import { safeFileStem } from '../../src/media/output-files'

/** Names a hostile document or an unlucky user might give a node or an output. */
const HOSTILE = [
  '../../../../../../tmp/x/PWNED',
  '..',
  '.',
  '...',
  '/etc/passwd',
  'C:\\Windows\\system32\\x',
  '\\\\server\\share\\x',
  'a\0b',
  '\0',
  'x'.repeat(5000),
  'é'.repeat(300),
  '🎵'.repeat(300),
  'con',
  'CON.take2',
  'lpt¹',
  'nul ',
  '-rf',
  '--help',
  'mp3\u202Eexe',
  'a\u200Bb',
  'line\nbreak',
  '\ud800lone',
  ' . . ',
  '.hidden',
  'v; touch PWNED; echo owned #',
  '$(touch PWNED)',
  '`touch PWNED`',
]

function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length
}

describe('safeFileStem on hostile names', () => {
  it.each(HOSTILE)('makes %j one plain, portable file name', (name) => {
    const stem = safeFileStem(name, 'wav')
    expect(stem.length).toBeGreaterThan(0)
    expect(stem).not.toMatch(/[/\\<>:"|?*\0]/)
    expect(stem).not.toMatch(/^[.\s-]/) // not hidden, not "..", not read as an option
    expect(stem).not.toMatch(/[.\s]$/) // Windows drops these, making two names one
    expect(stem).not.toMatch(/^(con|prn|aux|nul|com.|lpt.)(\.|$)/i)
    expect(stem).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200B\n]/)
    expect(utf8Bytes(stem)).toBeLessThanOrEqual(200)
    expect(stem).toBe(stem.normalize('NFC'))
    expect(stem).not.toMatch(/\p{Cs}/u) // no lone surrogate: it has no UTF-8 form
  })

  it('keeps ordinary names as typed, and cuts long ones on a character boundary', () => {
    expect(safeFileStem('Take 2 (loud) – ünïcode ✓', 'wav')).toBe('Take 2 (loud) – ünïcode ✓')
    expect(safeFileStem('../../x', 'wav')).toBe('_.._x')
    expect(safeFileStem('/etc/passwd', 'wav')).toBe('_etc_passwd')
    expect(safeFileStem('a\0b', 'wav')).toBe('a_b')
    expect(safeFileStem('-rf', 'wav')).toBe('_-rf')
    expect(safeFileStem('CON.take2', 'wav')).toBe('_CON.take2')
    expect(safeFileStem('.', 'wav')).toBe('output')
    expect(safeFileStem('e\u0301', 'wav')).toBe('é') // one spelling of é: NFC
    const emoji = safeFileStem('🎵'.repeat(300), 'wav')
    expect(emoji).toBe('🎵'.repeat(50)) // 4 bytes each, 200 in all, no half character
    expect(safeFileStem('é'.repeat(300), 'wav')).toBe('é'.repeat(100))
    // Persian needs the zero-width non-joiner; it stays.
    expect(safeFileStem('می\u200Cخواهم', 'wav')).toBe('می\u200Cخواهم')
  })
})

describe('pathInside', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synesthete-safe-'))

  it.each(HOSTILE)('puts the file named from %j inside its folder', (name) => {
    const path = safePathIn(dir, name, 'npy', 'node')
    const rel = relative(resolve(dir), path)
    expect(rel).not.toMatch(/^\.\.|[/\\]/)
    expect(resolve(dir, rel)).toBe(path)
  })

  it.each(['../x.wav', '/tmp/x.wav', 'a/b.wav', '..', '.', 'a\0.wav', ''])(
    'refuses the raw name %j with words that say why',
    (name) => {
      expect(() => pathInside(dir, name)).toThrow(/outside|plain file name/)
    },
  )

  it('wrote nothing while checking', () => {
    expect(readdirSync(dir)).toEqual([])
    expect(existsSync('/tmp/x/PWNED.npy')).toBe(false)
  })
})

describe('UniqueNames', () => {
  it('numbers a name given twice, treating case and Unicode spellings as one name', () => {
    const names = new UniqueNames()
    expect(names.claim('mix', 'wav')).toBe('mix.wav')
    expect(names.claim('Mix', 'wav')).toBe('Mix-2.wav')
    expect(names.claim('mix', 'png')).toBe('mix.png')
    expect(names.claim('mix', 'wav')).toBe('mix-3.wav')
    expect(names.claim('é', 'wav')).toBe('é.wav')
    expect(names.claim('e\u0301', 'wav')).toBe('e\u0301-2.wav')
  })
})
