/**
 * base64url without padding (RFC 4648 §5), the alphabet that survives URLs unescaped. Written
 * out rather than through btoa/atob: those work on Latin-1 strings, need a detour through
 * `String.fromCharCode` for bytes, and accept characters outside the alphabet silently.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const VALUES = new Int16Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i

export function base64UrlEncode(bytes: Uint8Array): string {
  const parts: string[] = []
  let line = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0)
    const left = bytes.length - i
    line += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63]
    if (left > 1) line += ALPHABET[(n >> 6) & 63]
    if (left > 2) line += ALPHABET[n & 63]
    // Joining many short strings at the end is faster than growing one huge string.
    if (line.length >= 4096) {
      parts.push(line)
      line = ''
    }
  }
  parts.push(line)
  return parts.join('')
}

/** The bytes, or undefined when the text has a character outside the alphabet or a bad length. */
export function base64UrlDecode(text: string): Uint8Array | undefined {
  // Padding is tolerated (some tools add it); a length of 1 mod 4 cannot come from any bytes.
  const body = text.replace(/={1,2}$/, '')
  if (body.length % 4 === 1) return undefined
  const out = new Uint8Array(Math.floor((body.length * 3) / 4))
  let at = 0
  for (let i = 0; i < body.length; i += 4) {
    let n = 0
    const count = Math.min(4, body.length - i)
    for (let k = 0; k < 4; k++) {
      const code = k < count ? body.charCodeAt(i + k) : 65 // 'A' = 0 fills the missing tail
      const value = code < 128 ? VALUES[code] : -1
      if (value < 0) return undefined
      n = (n << 6) | value
    }
    out[at++] = (n >> 16) & 255
    if (count > 2) out[at++] = (n >> 8) & 255
    if (count > 3) out[at++] = n & 255
  }
  return out
}
