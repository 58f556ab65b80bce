import { describe, expect, it } from 'vitest'
import {
  drawText,
  drawnCharacter,
  fitText,
  GLYPH_ADVANCE,
  glyphRows,
  textWidth,
} from '../../src/media/pixel-font'

const blank = (width: number, height: number) => ({
  width,
  height,
  channels: [new Float32Array(width * height)],
})

/** The image's one channel as rows of '#' and '.'. */
const picture = (img: ReturnType<typeof blank>): string[] =>
  Array.from({ length: img.height }, (_, y) =>
    Array.from({ length: img.width }, (_, x) =>
      img.channels[0][y * img.width + x] ? '#' : '.',
    ).join(''),
  )

describe('pixel font', () => {
  it('has a distinct 5 × 7 glyph for every printable ASCII character', () => {
    const seen = new Set<string>()
    for (let code = 32; code < 127; code++) {
      const rows = glyphRows(String.fromCharCode(code))
      expect(rows).toHaveLength(7)
      for (const row of rows) expect(row).toBeLessThan(32)
      seen.add(rows.join(','))
    }
    expect(seen.size).toBe(95)
  })

  it('draws the glyph pixels where asked, at the asked scale', () => {
    const img = blank(7, 9)
    drawText(img, 'T', 1, 1, [1])
    expect(picture(img)).toEqual([
      '.......',
      '.#####.',
      '...#...',
      '...#...',
      '...#...',
      '...#...',
      '...#...',
      '...#...',
      '.......',
    ])
    const big = blank(10, 14)
    drawText(big, 'T', 0, 0, [1], 2)
    expect(picture(big)[0]).toBe('##########')
    expect(picture(big)[13]).toBe('....##....')
  })

  it('clips at the edges without throwing and leaves other channels alone', () => {
    const img = {
      width: 4,
      height: 4,
      channels: [new Float32Array(16), new Float32Array(16).fill(0.5)],
    }
    drawText(img, 'HI', -2, -3, [1])
    expect(img.channels[0].some((v) => v === 1)).toBe(true)
    expect(img.channels[1].every((v) => v === 0.5)).toBe(true)
  })

  it('measures and fits text, and stands in for characters it has no glyph for', () => {
    expect(textWidth('ab')).toBe(2 * GLYPH_ADVANCE - 1)
    expect(textWidth('ab', 2)).toBe(2 * (2 * GLYPH_ADVANCE - 1))
    expect(textWidth('')).toBe(0)
    expect(fitText('Red left, green right', textWidth('Red left...'))).toBe('Red left...')
    expect(fitText('short', 100)).toBe('short')
    expect(drawnCharacter('é')).toBe('e')
    expect(drawnCharacter('−')).toBe('-')
    expect(drawnCharacter('音')).toBe('?')
  })
})
