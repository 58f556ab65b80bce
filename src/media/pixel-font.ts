/**
 * A 5 × 7 pixel font for text drawn without a browser or a font engine (the contact sheet's
 * labels, in Node and in workers alike). Printable ASCII only; other characters are drawn as
 * their unaccented letter when they have one (é → e), as '-' for the minus sign and dashes,
 * and otherwise as '?'. Glyphs are drawn by the project, one row of 5 pixels per group.
 */

import type { PlanarImage } from './png'

export const GLYPH_WIDTH = 5
export const GLYPH_HEIGHT = 7
/** Rows a line of text takes: the glyph box and one row for descenders. */
export const LINE_HEIGHT = GLYPH_HEIGHT + 1
/** Letters drawn one row lower, their tails in the row under the baseline. */
const DESCENDERS = new Set(['g', 'j', 'p', 'q', 'y'])
/** Horizontal distance from one character to the next: the glyph and one blank column. */
export const GLYPH_ADVANCE = GLYPH_WIDTH + 1

/** Each line: the character, then its 7 rows top to bottom ('#' ink, '.' paper). */
const TABLE = [
  '  ..... ..... ..... ..... ..... ..... .....',
  '! ..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..',
  '" .#.#. .#.#. ..... ..... ..... ..... .....',
  '# .#.#. .#.#. ##### .#.#. ##### .#.#. .#.#.',
  '$ ..#.. .#### #.#.. .###. ..#.# ####. ..#..',
  '% ##... ##..# ...#. ..#.. .#... #..## ...##',
  '& .##.. #..#. #.#.. .#... #.#.# #..#. .##.#',
  "' ..#.. ..#.. ..... ..... ..... ..... .....",
  '( ...#. ..#.. .#... .#... .#... ..#.. ...#.',
  ') .#... ..#.. ...#. ...#. ...#. ..#.. .#...',
  '* ..... ..#.. #.#.# .###. #.#.# ..#.. .....',
  '+ ..... ..#.. ..#.. ##### ..#.. ..#.. .....',
  ', ..... ..... ..... ..... .##.. ..#.. .#...',
  '- ..... ..... ..... ##### ..... ..... .....',
  '. ..... ..... ..... ..... ..... .##.. .##..',
  '/ ..... ....# ...#. ..#.. .#... #.... .....',
  '0 .###. #...# #..## #.#.# ##..# #...# .###.',
  '1 ..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.',
  '2 .###. #...# ....# ...#. ..#.. .#... #####',
  '3 ##### ...#. ..#.. ...#. ....# #...# .###.',
  '4 ...#. ..##. .#.#. #..#. ##### ...#. ...#.',
  '5 ##### #.... ####. ....# ....# #...# .###.',
  '6 ..##. .#... #.... ####. #...# #...# .###.',
  '7 ##### ....# ...#. ..#.. .#... .#... .#...',
  '8 .###. #...# #...# .###. #...# #...# .###.',
  '9 .###. #...# #...# .#### ....# ...#. .##..',
  ': ..... .##.. .##.. ..... .##.. .##.. .....',
  '; ..... .##.. .##.. ..... .##.. ..#.. .#...',
  '< ...#. ..#.. .#... #.... .#... ..#.. ...#.',
  '= ..... ..... ##### ..... ##### ..... .....',
  '> .#... ..#.. ...#. ....# ...#. ..#.. .#...',
  '? .###. #...# ....# ...#. ..#.. ..... ..#..',
  '@ .###. #...# ....# .##.# #.#.# #.#.# .###.',
  'A .###. #...# #...# ##### #...# #...# #...#',
  'B ####. #...# #...# ####. #...# #...# ####.',
  'C .###. #...# #.... #.... #.... #...# .###.',
  'D ###.. #..#. #...# #...# #...# #..#. ###..',
  'E ##### #.... #.... ####. #.... #.... #####',
  'F ##### #.... #.... ####. #.... #.... #....',
  'G .###. #...# #.... #.### #...# #...# .####',
  'H #...# #...# #...# ##### #...# #...# #...#',
  'I .###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.',
  'J ..### ...#. ...#. ...#. ...#. #..#. .##..',
  'K #...# #..#. #.#.. ##... #.#.. #..#. #...#',
  'L #.... #.... #.... #.... #.... #.... #####',
  'M #...# ##.## #.#.# #.#.# #...# #...# #...#',
  'N #...# #...# ##..# #.#.# #..## #...# #...#',
  'O .###. #...# #...# #...# #...# #...# .###.',
  'P ####. #...# #...# ####. #.... #.... #....',
  'Q .###. #...# #...# #...# #.#.# #..#. .##.#',
  'R ####. #...# #...# ####. #.#.. #..#. #...#',
  'S .#### #.... #.... .###. ....# ....# ####.',
  'T ##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..',
  'U #...# #...# #...# #...# #...# #...# .###.',
  'V #...# #...# #...# #...# #...# .#.#. ..#..',
  'W #...# #...# #...# #.#.# #.#.# #.#.# .#.#.',
  'X #...# #...# .#.#. ..#.. .#.#. #...# #...#',
  'Y #...# #...# .#.#. ..#.. ..#.. ..#.. ..#..',
  'Z ##### ....# ...#. ..#.. .#... #.... #####',
  '[ .###. .#... .#... .#... .#... .#... .###.',
  '\\ ..... #.... .#... ..#.. ...#. ....# .....',
  '] .###. ...#. ...#. ...#. ...#. ...#. .###.',
  '^ ..#.. .#.#. #...# ..... ..... ..... .....',
  '_ ..... ..... ..... ..... ..... ..... #####',
  '` .#... ..#.. ..... ..... ..... ..... .....',
  'a ..... ..... .###. ....# .#### #...# .####',
  'b #.... #.... #.##. ##..# #...# #...# ####.',
  'c ..... ..... .###. #.... #.... #...# .###.',
  'd ....# ....# .##.# #..## #...# #...# .####',
  'e ..... ..... .###. #...# ##### #.... .###.',
  'f ..##. .#..# .#... ###.. .#... .#... .#...',
  'g ..... .#### #...# #...# .#### ....# .###.',
  'h #.... #.... #.##. ##..# #...# #...# #...#',
  'i ..#.. ..... .##.. ..#.. ..#.. ..#.. .###.',
  'j ...#. ..... ..##. ...#. ...#. #..#. .##..',
  'k #.... #.... #..#. #.#.. ##... #.#.. #..#.',
  'l .##.. ..#.. ..#.. ..#.. ..#.. ..#.. .###.',
  'm ..... ..... ##.#. #.#.# #.#.# #...# #...#',
  'n ..... ..... #.##. ##..# #...# #...# #...#',
  'o ..... ..... .###. #...# #...# #...# .###.',
  'p ..... ####. #...# #...# ####. #.... #....',
  'q ..... .#### #...# #...# .#### ....# ....#',
  'r ..... ..... #.##. ##..# #.... #.... #....',
  's ..... ..... .###. #.... .###. ....# ####.',
  't .#... .#... ###.. .#... .#... .#..# ..##.',
  'u ..... ..... #...# #...# #...# #..## .##.#',
  'v ..... ..... #...# #...# #...# .#.#. ..#..',
  'w ..... ..... #...# #...# #.#.# #.#.# .#.#.',
  'x ..... ..... #...# .#.#. ..#.. .#.#. #...#',
  'y ..... #...# #...# #...# .#### ....# .###.',
  'z ..... ..... ##### ...#. ..#.. .#... #####',
  '{ ...#. ..#.. ..#.. .#... ..#.. ..#.. ...#.',
  '| ..#.. ..#.. ..#.. ..#.. ..#.. ..#.. ..#..',
  '} .#... ..#.. ..#.. ...#. ..#.. ..#.. .#...',
  '~ ..... ..... .#... #.#.# ...#. ..... .....',
]

/** Rows of each glyph as 5-bit masks, bit 4 the leftmost pixel; index = code point − 32. */
const GLYPHS: readonly (readonly number[])[] = TABLE.map((line, i) => {
  const rows = line.slice(2).split(' ')
  if (line.codePointAt(0) !== 32 + i || rows.length !== GLYPH_HEIGHT)
    throw new Error(`pixel font: the glyph line for ${String.fromCodePoint(32 + i)} is malformed`)
  return rows.map((row) => parseInt(row.replace(/\./g, '0').replace(/#/g, '1'), 2))
})

/** The printable ASCII character a character is drawn as. */
export function drawnCharacter(char: string): string {
  const code = char.codePointAt(0) ?? 63
  if (code >= 32 && code < 127) return char
  if (/[\u2010-\u2015\u2212]/.test(char)) return '-'
  const base = char.normalize('NFD').replace(/[\u0300-\u036f]/g, '')
  const b = base.codePointAt(0) ?? 63
  return base.length === 1 && b >= 32 && b < 127 ? base : '?'
}

/** The glyph's 7 rows as 5-bit masks (bit 4 = leftmost pixel). */
export function glyphRows(char: string): readonly number[] {
  return GLYPHS[(drawnCharacter(char).codePointAt(0) ?? 63) - 32]
}

/** Width in pixels of `text` at `scale`, without the blank column after the last glyph. */
export function textWidth(text: string, scale = 1): number {
  const count = [...text].length
  return count === 0 ? 0 : (count * GLYPH_ADVANCE - 1) * scale
}

/** The longest start of `text` that fits `maxWidth` pixels, with "..." when it was cut. */
export function fitText(text: string, maxWidth: number, scale = 1): string {
  if (textWidth(text, scale) <= maxWidth) return text
  const chars = [...text]
  while (chars.length > 0 && textWidth(`${chars.join('')}...`, scale) > maxWidth) chars.pop()
  return chars.length > 0 ? `${chars.join('')}...` : ''
}

/**
 * Draws `text` into a planar image (1, 3 or 4 channels in 0..1) with its top-left corner at
 * (x, y) (a line is LINE_HEIGHT rows: g, j, p, q and y hang one row lower), each font pixel a `scale` × `scale` square of `colour` (one value per channel, the
 * rest left as they are). Pixels outside the image are skipped.
 */
export function drawText(
  image: PlanarImage,
  text: string,
  x: number,
  y: number,
  colour: readonly number[],
  scale = 1,
): void {
  const { width, height, channels } = image
  let left = Math.round(x)
  const top = Math.round(y)
  for (const char of text) {
    const rows = glyphRows(char)
    const drop = DESCENDERS.has(drawnCharacter(char)) ? scale : 0
    for (let r = 0; r < GLYPH_HEIGHT; r++)
      for (let c = 0; c < GLYPH_WIDTH; c++) {
        if (!(rows[r] & (1 << (GLYPH_WIDTH - 1 - c)))) continue
        for (let dy = 0; dy < scale; dy++) {
          const py = top + drop + r * scale + dy
          if (py < 0 || py >= height) continue
          for (let dx = 0; dx < scale; dx++) {
            const px = left + c * scale + dx
            if (px < 0 || px >= width) continue
            for (let ch = 0; ch < channels.length && ch < colour.length; ch++)
              channels[ch][py * width + px] = colour[ch]
          }
        }
      }
    left += GLYPH_ADVANCE * scale
  }
}
