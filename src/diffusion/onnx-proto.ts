/**
 * Reads the little the loader needs from an ONNX file before creating a session, by walking the
 * protobuf wire format (https://protobuf.dev/programming-guides/encoding/) over onnx.proto3:
 *
 *   ModelProto.graph = 7 → GraphProto.initializer = 5 → TensorProto
 *   TensorProto.data_type = 2, external_data = 13 (StringStringEntryProto key = 1, value = 2)
 *
 * - which external data files the weights live in (`location`: 'weights.pb' for the diffusers
 *   exporter and Olive, 'model.onnx_data' for optimum), read from the file instead of guessed;
 * - whether any weight is float16 (TensorProto.DataType FLOAT16 = 10), which on WebGPU needs
 *   the adapter's `shader-f16` feature.
 *
 * Only lengths are followed: megabytes of raw weights are skipped, not decoded.
 */

export interface OnnxFileFacts {
  externalLocations: string[]
  usesFloat16: boolean
}

const FLOAT16 = 10

class Reader {
  pos: number
  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start
  }

  varint(): number {
    // Numbers up to 2^53 suffice: lengths and enums. Multiplication, not shifts, past 31 bits.
    let value = 0
    let scale = 1
    for (;;) {
      if (this.pos >= this.end) throw new Error('truncated varint')
      const byte = this.bytes[this.pos++]
      value += (byte & 0x7f) * scale
      if (byte < 0x80) return value
      scale *= 128
    }
  }

  /** Reads a field key; returns [field, wireType] or null at the end. */
  key(): [number, number] | null {
    if (this.pos >= this.end) return null
    const key = this.varint()
    return [Math.floor(key / 8), key % 8]
  }

  /** Returns [start, end) of a length-delimited field and moves past it. */
  span(): [number, number] {
    const length = this.varint()
    const start = this.pos
    this.pos += length
    if (this.pos > this.end) throw new Error('truncated field')
    return [start, this.pos]
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint()
    else if (wireType === 1) this.pos += 8
    else if (wireType === 2) this.span()
    else if (wireType === 5) this.pos += 4
    else throw new Error(`unsupported wire type ${wireType}`)
  }
}

function* fields(bytes: Uint8Array, start: number, end: number) {
  const reader = new Reader(bytes, start, end)
  for (let key = reader.key(); key; key = reader.key()) {
    const [field, wire] = key
    if (wire === 2) {
      const [s, e] = reader.span()
      yield { field, wire, start: s, end: e, value: 0 }
    } else if (wire === 0) {
      yield { field, wire, start: 0, end: 0, value: reader.varint() }
    } else {
      reader.skip(wire)
    }
  }
}

const text = new TextDecoder()

function readTensor(bytes: Uint8Array, start: number, end: number, facts: OnnxFileFacts): void {
  for (const f of fields(bytes, start, end)) {
    if (f.field === 2 && f.wire === 0 && f.value === FLOAT16) facts.usesFloat16 = true
    if (f.field === 13 && f.wire === 2) {
      let key = ''
      let value = ''
      for (const entry of fields(bytes, f.start, f.end)) {
        if (entry.wire !== 2) continue
        const s = text.decode(bytes.subarray(entry.start, entry.end))
        if (entry.field === 1) key = s
        if (entry.field === 2) value = s
      }
      if (key === 'location' && !facts.externalLocations.includes(value)) {
        facts.externalLocations.push(value)
      }
    }
  }
}

/** Throws when the bytes are not a readable ONNX model. */
export function readOnnxFacts(bytes: Uint8Array): OnnxFileFacts {
  const facts: OnnxFileFacts = { externalLocations: [], usesFloat16: false }
  let sawGraph = false
  for (const f of fields(bytes, 0, bytes.length)) {
    if (f.field !== 7 || f.wire !== 2) continue
    sawGraph = true
    for (const g of fields(bytes, f.start, f.end)) {
      if (g.field === 5 && g.wire === 2) readTensor(bytes, g.start, g.end, facts)
    }
  }
  if (!sawGraph) throw new Error('no graph in the file')
  return facts
}
