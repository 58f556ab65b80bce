import { describe, expect, it } from 'vitest'
import { PROGRESS_EVERY_MS, progressPrinter } from '../../src/cli/render'

describe('headless progress', () => {
  it('prints a running node’s progress at most every 10 s, with its own words', () => {
    const lines: string[] = []
    let clock = 0
    const print = progressPrinter(
      (l) => lines.push(l),
      (l) => lines.push(l),
      () => clock,
    )
    print({ type: 'state', node: 'gl', state: 'running' })
    for (let i = 1; i <= 1000; i++) {
      clock += 100 // an iteration every 100 ms: 100 s in all
      print({ type: 'progress', node: 'gl', fraction: i / 1000, message: `iteration ${i} of 1000` })
    }
    expect(lines[0]).toBe('… gl')
    expect(lines).toHaveLength(1 + (1000 * 100) / PROGRESS_EVERY_MS)
    expect(lines[1]).toBe('… gl 10 % (iteration 100 of 1000)')
    expect(lines.at(-1)).toBe('… gl 100 % (iteration 1000 of 1000)')
  })
})
