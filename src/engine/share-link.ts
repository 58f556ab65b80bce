/**
 * Share links: the graph document in the URL fragment, compressed with raw DEFLATE (RFC 1951,
 * through the platform's CompressionStream, in browsers and Node alike) and written in base64url
 * (RFC 4648 §5). Browsers never send the fragment to a server, so a link is the graph and
 * nothing else. Opening one decodes untrusted data: every step is bounded and fails in words.
 *
 * Form: `#graph=<base64url(deflate-raw(JSON))>`. The document inside says its own schema
 * version; a different compression would get a different key, never a new meaning for this one.
 */

import type { GraphDocument } from './document'
import type { Migration } from './migrations'
import type { NodeRegistry } from './registry'
import { DOCUMENT_LIMITS, parseGraphText, type ValidationResult } from './validate'
import { base64UrlDecode, base64UrlEncode } from './base64url'
import { inflateRaw } from './inflate'

export const SHARE_KEY = 'graph'

export const SHARE_LIMITS = {
  /** 2 M characters of base64 inflate to far more than the largest graph allowed. */
  fragmentChars: 2_000_000,
  /** Inflating stops here, so a small link cannot expand into gigabytes. */
  inflatedBytes: DOCUMENT_LIMITS.bytes,
}

/** Links longer than this are cut by some chat apps and mail clients: worth a warning. */
export const LONG_LINK_CHARS = 8000

/** The fragment (without '#') that carries the graph. */
export async function shareFragment(graph: GraphDocument): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(graph))
  return `${SHARE_KEY}=${base64UrlEncode(await pipeBytes(json, new CompressionStream('deflate-raw')))}`
}

/** The page's address with its fragment replaced by the graph's. */
export async function shareUrl(pageUrl: string, graph: GraphDocument): Promise<string> {
  const url = new URL(pageUrl)
  url.hash = await shareFragment(graph)
  return url.href
}

/** The encoded graph in a fragment (`#graph=…`, also among other `&`-separated keys). */
export function sharePayload(hash: string): string | undefined {
  const body = hash.replace(/^#/, '')
  for (const part of body.split('&')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq) === SHARE_KEY) return part.slice(eq + 1)
  }
  return undefined
}

const fail = (message: string): ValidationResult => ({
  ok: false,
  problems: [{ message, path: '' }],
  notes: [],
})

/**
 * Reads the graph a link carries: undefined when the fragment has none, otherwise the same
 * result as opening a file (validated, migrated with notes, or refused with problems).
 */
export async function readShareFragment(
  hash: string,
  registry: NodeRegistry,
  migrations?: readonly Migration[],
): Promise<ValidationResult | undefined> {
  const found = await shareGraphText(hash)
  if (!found) return undefined
  return found.ok ? parseGraphText(found.text, registry, migrations) : fail(found.message)
}

export type ShareText = { ok: true; text: string } | { ok: false; message: string }

/**
 * The graph's JSON text a fragment carries, unpacked but not yet validated (a graph file
 * holding a link is opened as the file would be): undefined when the fragment has none.
 */
export async function shareGraphText(hash: string): Promise<ShareText | undefined> {
  const payload = sharePayload(hash)
  if (payload === undefined) return undefined
  const no = (message: string): ShareText => ({ ok: false, message })
  if (payload.length === 0)
    return no('The link carries no graph: the part after "#graph=" is empty.')
  if (payload.length > SHARE_LIMITS.fragmentChars)
    return no(
      `The link is ${(payload.length / 1e6).toFixed(1)} million characters long; a graph link is at most 2 million. It is not a Synesthete link.`,
    )
  const bytes = base64UrlDecode(payload)
  if (!bytes)
    return no(
      'The link is damaged: it holds characters a graph link never has. Copy the whole link again.',
    )
  const inflated = await inflateRaw(bytes, SHARE_LIMITS.inflatedBytes)
  if (inflated === 'too large')
    return no(
      `The link unpacks to more than ${SHARE_LIMITS.inflatedBytes / 1e6} MB; graphs are at most that. It is not a Synesthete link.`,
    )
  if (inflated === 'damaged')
    return no(
      'The link is damaged or cut short: its graph cannot be unpacked. Copy the whole link again.',
    )
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated)
    // Deflate has no checksum: a link cut short may inflate to the start of the JSON only.
    JSON.parse(text)
  } catch (error) {
    return no(
      error instanceof SyntaxError
        ? 'The link is incomplete: its graph ends too early. Copy the whole link again.'
        : 'The link is damaged: its graph is not text. Copy the whole link again.',
    )
  }
  return { ok: true, text }
}

async function pipeBytes(bytes: Uint8Array, transform: CompressionStream): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(transform)
  return new Uint8Array(await new Response(stream).arrayBuffer())
}
