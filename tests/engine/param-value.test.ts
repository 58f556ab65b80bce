import { describe, expect, it } from 'vitest'
import { float, paramValue, text } from '../../src/engine/params'

describe('paramValue: the stored value, else the default', () => {
  const gain = float(1.5)

  it("takes the node's own value, even when it is falsy", () => {
    expect(paramValue(gain, { gain: 0 }, 'gain')).toBe(0)
    expect(paramValue(text('x'), { name: '' }, 'name')).toBe('')
  })

  it('falls back to the default for a param the document leaves out', () => {
    expect(paramValue(gain, {}, 'gain')).toBe(1.5)
  })

  it("never reads inherited properties as stored values (a param called 'constructor')", () => {
    expect(paramValue(text('kept'), {}, 'constructor')).toBe('kept')
    expect(paramValue(undefined, {}, 'toString')).toBeUndefined()
  })
})
