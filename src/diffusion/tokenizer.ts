/**
 * CLIP's byte-level BPE tokenizer, as openai/CLIP `simple_tokenizer.py` and Hugging Face's
 * CLIPTokenizer define it (learned from both, written anew):
 *
 * 1. Clean: NFC, HTML entities, whitespace runs to one space, trim, lowercase.
 * 2. Split with CLIP's pattern: the two special tokens, the contractions 's 't 're 've 'm 'll 'd,
 *    runs of letters, single digits, runs of other non-space characters.
 * 3. Map each piece's UTF-8 bytes to printable characters (`bytes_to_unicode`), mark the end of
 *    the word on its last character ('</w>'), then merge pairs by rank from merges.txt.
 * 4. <|startoftext|> + ids (truncated) + <|endoftext|>, padded to 77 with the pad token: SD 1.x
 *    pads with <|endoftext|> (49407); OpenCLIP models (SD 2.x, SD-Turbo) pad with "!" (id 0).
 */

export const START_TOKEN = '<|startoftext|>'
export const END_TOKEN = '<|endoftext|>'
export const CONTEXT_LENGTH = 77

const PATTERN =
  /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}|[^\s\p{L}\p{N}]+/gu

/** GPT-2/CLIP's reversible map from bytes to printable characters (no spaces, no controls). */
export function bytesToUnicode(): string[] {
  const printable: number[] = []
  const ranges: [number, number][] = [
    [0x21, 0x7e],
    [0xa1, 0xac],
    [0xae, 0xff],
  ]
  for (const [a, b] of ranges) for (let c = a; c <= b; c++) printable.push(c)
  const table: string[] = new Array<string>(256)
  let extra = 0
  for (let b = 0; b < 256; b++) {
    table[b] = String.fromCodePoint(printable.includes(b) ? b : 256 + extra++)
  }
  return table
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function unescapeHtml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : +body.slice(1)
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return ENTITIES[body.toLowerCase()] ?? whole
  })
}

export function cleanText(text: string): string {
  return unescapeHtml(unescapeHtml(text.normalize('NFC')))
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
}

export interface TokenizerOptions {
  /** The pad token's text (from the model's tokenizer configs); default END_TOKEN. */
  padToken?: string
  /** Total sequence length, start and end tokens included. */
  length?: number
}

export class ClipTokenizer {
  readonly startId: number
  readonly endId: number
  readonly padId: number
  readonly length: number
  private readonly ranks = new Map<string, number>()
  private readonly cache = new Map<string, string[]>()
  private readonly byteChars = bytesToUnicode()
  private readonly encoder = new TextEncoder()

  constructor(
    private readonly vocab: Readonly<Record<string, number>>,
    mergesText: string,
    options: TokenizerOptions = {},
  ) {
    const lines = mergesText.split(/\r?\n/)
    let rank = 0
    for (const [i, line] of lines.entries()) {
      if ((i === 0 && line.startsWith('#version')) || line.trim() === '') continue
      const parts = line.split(' ')
      if (parts.length !== 2) throw new Error(`merges.txt line ${i + 1} is not a pair: "${line}"`)
      this.ranks.set(line, rank++)
    }
    this.startId = this.idOf(START_TOKEN)
    this.endId = this.idOf(END_TOKEN)
    this.padId = this.idOf(options.padToken ?? END_TOKEN)
    this.length = options.length ?? CONTEXT_LENGTH
  }

  private idOf(token: string): number {
    const id = this.vocab[token]
    if (id === undefined) throw new Error(`vocab.json has no token "${token}"`)
    return id
  }

  /** BPE pieces of one pre-tokenised word (already byte-mapped). */
  bpe(word: string): string[] {
    const cached = this.cache.get(word)
    if (cached) return cached
    const chars = Array.from(word)
    let parts = [...chars.slice(0, -1), `${chars[chars.length - 1]}</w>`]
    while (parts.length > 1) {
      // The adjacent pair with the lowest merge rank; stop when no pair is a known merge.
      let best = -1
      let bestRank = Infinity
      for (let i = 0; i < parts.length - 1; i++) {
        const rank = this.ranks.get(`${parts[i]} ${parts[i + 1]}`)
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank
          best = i
        }
      }
      if (best < 0) break
      const first = parts[best]
      const second = parts[best + 1]
      const merged: string[] = []
      for (let i = 0; i < parts.length; i++) {
        if (i < parts.length - 1 && parts[i] === first && parts[i + 1] === second) {
          merged.push(first + second)
          i++
        } else {
          merged.push(parts[i])
        }
      }
      parts = merged
    }
    this.cache.set(word, parts)
    return parts
  }

  /** The BPE tokens (as text) of a prompt, without start/end tokens. */
  tokenize(text: string): string[] {
    const out: string[] = []
    for (const match of cleanText(text).matchAll(PATTERN)) {
      const piece = match[0]
      if (piece === START_TOKEN || piece === END_TOKEN) {
        out.push(piece)
        continue
      }
      let mapped = ''
      for (const byte of this.encoder.encode(piece)) mapped += this.byteChars[byte]
      out.push(...this.bpe(mapped))
    }
    return out
  }

  /** Ids without start/end tokens; unknown pieces become the end token, as CLIP's unk. */
  encode(text: string): number[] {
    return this.tokenize(text).map((t) => this.vocab[t] ?? this.endId)
  }

  /** The model input: start, ids truncated to fit, end, then padding to `length`. */
  encodeForModel(text: string): Int32Array {
    const ids = this.encode(text).slice(0, this.length - 2)
    const out = new Int32Array(this.length).fill(this.padId)
    out[0] = this.startId
    out.set(ids, 1)
    out[ids.length + 1] = this.endId
    return out
  }
}

interface TokenSpec {
  content?: unknown
}

function tokenText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (value && typeof value === 'object' && typeof (value as TokenSpec).content === 'string') {
    return (value as TokenSpec).content as string
  }
  return undefined
}

/**
 * The pad token from a model's tokenizer files. special_tokens_map.json wins over
 * tokenizer_config.json, as in transformers: SD 2.x repos say "<|endoftext|>" in the config but
 * "!" in the map, and "!" (id 0) is what they were trained with.
 */
export function padTokenFrom(specialTokensMap: unknown, tokenizerConfig: unknown): string {
  const pick = (json: unknown) =>
    json && typeof json === 'object' ? tokenText((json as { pad_token?: unknown }).pad_token) : ''
  return pick(specialTokensMap) || pick(tokenizerConfig) || END_TOKEN
}
