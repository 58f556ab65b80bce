/** Hand-built WAV files for tests: every header field is ours to set, including wrong ones. */

export interface RawChunk {
  id: string
  data: Uint8Array
  /** Declared size when it should differ from the data's length (a cut-short file). */
  declaredSize?: number
  /** Write the pad byte after an odd-sized chunk (the spec says to; some writers forget). */
  pad?: boolean
}

export function chunk(id: string, data: Uint8Array, extra: Partial<RawChunk> = {}): RawChunk {
  return { id, data, ...extra }
}

export interface FmtSpec {
  tag?: number
  channels: number
  rate: number
  bits: number
  /** Bytes per frame; defaults to channels × ceil(bits / 8). */
  block?: number
  /** Writes WAVE_FORMAT_EXTENSIBLE with this sub-format (1 PCM, 3 float). */
  extensible?: { subFormat: number; validBits?: number }
}

export function fmtChunk(spec: FmtSpec): RawChunk {
  const block = spec.block ?? spec.channels * Math.ceil(spec.bits / 8)
  const data = new Uint8Array(spec.extensible ? 40 : 16)
  const v = new DataView(data.buffer)
  v.setUint16(0, spec.extensible ? 0xfffe : (spec.tag ?? 1), true)
  v.setUint16(2, spec.channels, true)
  v.setUint32(4, spec.rate, true)
  v.setUint32(8, spec.rate * block, true)
  v.setUint16(12, block, true)
  v.setUint16(14, spec.bits, true)
  if (spec.extensible) {
    v.setUint16(16, 22, true)
    v.setUint16(18, spec.extensible.validBits ?? spec.bits, true)
    v.setUint32(20, 0, true)
    v.setUint16(24, spec.extensible.subFormat, true)
    data.set(
      [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71],
      26,
    )
  }
  return chunk('fmt ', data)
}

/** RIFF/WAVE around the given chunks, in the given order. */
export function riffWave(chunks: RawChunk[]): Uint8Array {
  const parts: Uint8Array[] = []
  for (const c of chunks) {
    const head = new Uint8Array(8)
    for (let i = 0; i < 4; i++) head[i] = c.id.charCodeAt(i)
    new DataView(head.buffer).setUint32(4, c.declaredSize ?? c.data.length, true)
    parts.push(head, c.data)
    if (c.data.length % 2 === 1 && c.pad !== false) parts.push(new Uint8Array(1))
  }
  const body = parts.reduce((n, p) => n + p.length, 0)
  const out = new Uint8Array(12 + body)
  out.set([0x52, 0x49, 0x46, 0x46], 0)
  new DataView(out.buffer).setUint32(4, 4 + body, true)
  out.set([0x57, 0x41, 0x56, 0x45], 8)
  let p = 12
  for (const part of parts) {
    out.set(part, p)
    p += part.length
  }
  return out
}

/** Little-endian bytes of integer samples of the given width (1 byte = unsigned, as in WAV). */
export function intBytes(values: number[], bytesPerSample: number): Uint8Array {
  const out = new Uint8Array(values.length * bytesPerSample)
  values.forEach((value, i) => {
    for (let b = 0; b < bytesPerSample; b++) out[i * bytesPerSample + b] = (value >> (8 * b)) & 0xff
  })
  return out
}

export function floatBytes(values: number[], bytesPerSample: 4 | 8): Uint8Array {
  const out = new Uint8Array(values.length * bytesPerSample)
  const v = new DataView(out.buffer)
  values.forEach((x, i) =>
    bytesPerSample === 4 ? v.setFloat32(i * 4, x, true) : v.setFloat64(i * 8, x, true),
  )
  return out
}
