import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  bytesToUnicode,
  cleanText,
  ClipTokenizer,
  END_TOKEN,
  padTokenFrom,
  START_TOKEN,
} from '../../src/diffusion/tokenizer'
import { TINY_FOLDER } from './helpers'

/** A vocabulary in CLIP's order: byte characters, the same with </w>, merges, the specials. */
function clipVocab(merges: string[], fillerMerges = 0): Record<string, number> {
  // CLIP lists the printable bytes first ('!' = 0), then the rest, mapped to U+0100 onwards:
  // ordering by the mapped character's code point gives exactly that order.
  const code = (c: string) => c.codePointAt(0) ?? 0
  const base = [...bytesToUnicode()].sort((a, b) => code(a) - code(b))
  const tokens = [
    ...base,
    ...base.map((c) => `${c}</w>`),
    ...merges.map((m) => m.replace(' ', '')),
    ...Array.from({ length: fillerMerges }, (_, i) => `filler${i}`),
    START_TOKEN,
    END_TOKEN,
  ]
  return Object.fromEntries(tokens.map((t, i) => [t, i]))
}

// The classic BPE example, in CLIP's form (the last character of a word carries </w>).
const MERGES = [
  'l o',
  'lo w</w>',
  'lo w',
  'e r</w>',
  'e s',
  'es t</w>',
  'n e',
  'ne w',
  'new est</w>',
]
const tokenizer = new ClipTokenizer(clipVocab(MERGES), `#version: 0.2\n${MERGES.join('\n')}\n`)

describe('CLIP tokenizer on a handcrafted vocabulary', () => {
  it('merges by rank into the known splits', () => {
    expect(tokenizer.tokenize('low')).toEqual(['low</w>'])
    expect(tokenizer.tokenize('lower')).toEqual(['low', 'er</w>'])
    expect(tokenizer.tokenize('newest')).toEqual(['newest</w>'])
    expect(tokenizer.tokenize('widest')).toEqual(['w', 'i', 'd', 'est</w>'])
  })

  it('lowercases and collapses whitespace before splitting', () => {
    expect(tokenizer.tokenize('  LOW\n\tLoWeR ')).toEqual(tokenizer.tokenize('low lower'))
    expect(cleanText('A &amp; B&#33;')).toBe('a & b!')
  })

  it("splits with CLIP's pattern: punctuation runs, single digits, contractions", () => {
    expect(tokenizer.tokenize('low, lower!?')).toEqual([
      'low</w>',
      ',</w>',
      'low',
      'er</w>',
      '!',
      '?</w>',
    ])
    expect(tokenizer.tokenize('2024')).toEqual(['2</w>', '0</w>', '2</w>', '4</w>'])
    expect(tokenizer.tokenize("it's")).toEqual(['i', 't</w>', "'", 's</w>'])
  })

  it('maps non-ASCII text through its UTF-8 bytes, never to the unknown token', () => {
    const ids = tokenizer.encode('é')
    expect(tokenizer.tokenize('é')).toEqual(['Ã', '©</w>'])
    expect(ids).not.toContain(tokenizer.endId)
  })

  it('keeps the special tokens whole', () => {
    expect(tokenizer.encode('<|startoftext|>low')).toEqual([
      tokenizer.startId,
      tokenizer.encode('low')[0],
    ])
  })

  it('frames the ids with start and end and pads to 77, truncating long prompts', () => {
    const ids = tokenizer.encodeForModel('low lower')
    expect(ids).toHaveLength(77)
    expect([...ids.slice(0, 5)]).toEqual([
      tokenizer.startId,
      ...tokenizer.encode('low lower'),
      tokenizer.endId,
    ])
    expect(ids[76]).toBe(tokenizer.padId)
    const long = tokenizer.encodeForModel('low '.repeat(200))
    expect(long[0]).toBe(tokenizer.startId)
    expect(long[76]).toBe(tokenizer.endId)
  })
})

describe('CLIP tokenizer with real vocabulary sizes', () => {
  // 256 + 256 byte tokens + 48 894 merges + 2 specials = 49 408, as CLIP ViT-L/14 and OpenCLIP.
  const vocab = clipVocab(MERGES, 48894 - MERGES.length)
  const merges = MERGES.join('\n')

  it('has 49 408 tokens with start 49406 and end 49407', () => {
    expect(Object.keys(vocab)).toHaveLength(49408)
    const t = new ClipTokenizer(vocab, merges)
    expect([t.startId, t.endId]).toEqual([49406, 49407])
  })

  it('pads SD 1.x with the end token (49407)', () => {
    const pad = padTokenFrom({ pad_token: '<|endoftext|>' }, { pad_token: '<|endoftext|>' })
    const t = new ClipTokenizer(vocab, merges, { padToken: pad })
    expect(t.padId).toBe(49407)
    expect(t.encodeForModel('low').slice(-3)).toEqual(new Int32Array([49407, 49407, 49407]))
  })

  it('pads OpenCLIP models (SD 2.x, SD-Turbo) with "!" (0): the special-tokens map wins', () => {
    const pad = padTokenFrom(
      { pad_token: { content: '!', lstrip: false } },
      { pad_token: '<|endoftext|>' },
    )
    expect(pad).toBe('!')
    const ids = new ClipTokenizer(vocab, merges, { padToken: pad }).encodeForModel('low')
    expect([...ids.slice(0, 4)]).toEqual([49406, vocab['low</w>'], 49407, 0])
  })
})

describe('the tiny model tokenizer', () => {
  const read = (f: string) => readFileSync(`${TINY_FOLDER}tokenizer/${f}`, 'utf8')
  const tiny = new ClipTokenizer(
    JSON.parse(read('vocab.json')) as Record<string, number>,
    read('merges.txt'),
  )

  it('tokenizes the default negative prompt with its learned merges', () => {
    expect(tiny.tokenize('no letters, no people')).toEqual(
      expect.arrayContaining(['no</w>', ',</w>']),
    )
    expect(tiny.encode('no letters, no people, no recognizable objects')).not.toContain(tiny.endId)
  })
})
