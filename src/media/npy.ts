/**
 * NumPy `.npy` files (format 1.0/2.0), so results can be inspected with numpy and reference
 * fixtures made with torch and scipy can be read. Spec: numpy.lib.format.
 */

export type NpyDtype = '<f4' | '<f8' | '|u1' | '<c8' | '<i2' | '<i4'

export interface NpyArray {
  dtype: NpyDtype
  shape: number[]
  /** Values as float64; complex arrays interleave re, im. */
  data: Float64Array
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]

export function readNpy(bytes: Uint8Array): NpyArray {
  if (!MAGIC.every((b, i) => bytes[i] === b)) throw new Error('Not a .npy file (bad magic bytes)')
  const major = bytes[6]
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true)
  const headerStart = major === 1 ? 10 : 12
  const header = new TextDecoder().decode(bytes.subarray(headerStart, headerStart + headerLen))
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1]
  const fortran = /'fortran_order':\s*True/.test(header)
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1]
  if (!descr || shapeText === undefined) throw new Error(`Unreadable .npy header: ${header}`)
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number)
  const count = shape.reduce((a, b) => a * b, 1)
  const offset = headerStart + headerLen
  // A copy of its own: Node's Buffer.slice is a view into a shared pool, not a copy.
  const body = new Uint8Array(bytes.subarray(offset)).buffer
  const stored = decodeBody(descr, body, count)
  const data = fortran && descr !== '<c8' ? fortranToC(stored, shape) : stored
  if (fortran && descr === '<c8')
    throw new Error('Fortran-ordered complex .npy files are not supported')
  return { dtype: descr as NpyDtype, shape, data }
}

/** Reorders column-major data (numpy's fortran_order, e.g. a saved transposed view) to C order. */
function fortranToC(stored: Float64Array, shape: readonly number[]): Float64Array {
  const data = new Float64Array(stored.length)
  const strides = shape.map((_, d) => shape.slice(0, d).reduce((a, b) => a * b, 1))
  for (let c = 0; c < data.length; c++) {
    let rest = c
    let f = 0
    for (let d = shape.length - 1; d >= 0; d--) {
      f += (rest % shape[d]) * strides[d]
      rest = Math.floor(rest / shape[d])
    }
    data[c] = stored[f]
  }
  return data
}

function decodeBody(descr: string, body: ArrayBuffer, count: number): Float64Array {
  switch (descr) {
    case '<f4':
      return Float64Array.from(new Float32Array(body, 0, count))
    case '<f8':
      return new Float64Array(body, 0, count)
    case '|u1':
      return Float64Array.from(new Uint8Array(body, 0, count))
    case '<i2':
      return Float64Array.from(new Int16Array(body, 0, count))
    case '<i4':
      return Float64Array.from(new Int32Array(body, 0, count))
    case '<c8':
      return Float64Array.from(new Float32Array(body, 0, count * 2))
    default:
      throw new Error(`Unsupported .npy dtype ${descr}`)
  }
}

/** Writes a little-endian float32 `.npy` (format 1.0) of the given C-order shape. */
export function writeNpyFloat32(data: Float32Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1)
  if (count !== data.length)
    throw new Error(`Shape ${shape.join('×')} does not hold ${data.length} values`)
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`
  // Pad so the data starts on a 64-byte boundary, as numpy does; the header ends in '\n'.
  const unpadded = 10 + header.length + 1
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n'
  const out = new Uint8Array(10 + header.length + data.byteLength)
  out.set(MAGIC, 0)
  out[6] = 1
  out[7] = 0
  new DataView(out.buffer).setUint16(8, header.length, true)
  out.set(new TextEncoder().encode(header), 10)
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length)
  return out
}
