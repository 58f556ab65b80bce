import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { shellCommand, shellQuote } from '../../src/media/shell-quote'

const NASTY = [
  'v; touch PWNED; echo owned #',
  '$(touch PWNED)',
  '`touch PWNED`',
  "it's; touch PWNED",
  "'; touch PWNED; '",
  '"; touch PWNED; "',
  'a && touch PWNED',
  'a | touch PWNED',
  'a > PWNED',
  '*',
  '~',
  '$HOME',
  '${IFS}touch${IFS}PWNED',
  'line\ntouch PWNED',
  'tab\there',
  '\\',
  '!',
  '',
  '-n',
  'ünïcode ✓ 🎵',
  'plain-name_1.wav',
]

describe('shellQuote', () => {
  it.each(NASTY)('sh reads %j back as exactly that word and runs nothing else', (word) => {
    const dir = mkdtempSync(join(tmpdir(), 'shell-quote-'))
    // printf wraps each argument it gets in <>: one argument, unchanged, means quoted right.
    const script = `printf '<%s>' ${shellQuote(word)}`
    const printed = execFileSync('sh', ['-c', script], { cwd: dir, encoding: 'utf8' })
    expect(printed).toBe(`<${word}>`)
    expect(readdirSync(dir)).toEqual([])
  })

  it('leaves plain words bare and quotes the rest', () => {
    expect(shellQuote('clip.zip')).toBe('clip.zip')
    expect(shellQuote('%06d.png')).toBe('%06d.png')
    expect(shellQuote('my clip')).toBe("'my clip'")
    expect(shellQuote("it's")).toBe("'it'\\''s'")
    expect(shellCommand(['cd', '/a b', ''])).toBe("cd '/a b' ''")
  })
})
