/**
 * Plain tensors as the pipeline passes them to and from ONNX sessions, and the conversions real
 * exports need: fp16 IO (Olive, diffusers --fp16), int32/int64 token ids and timesteps.
 */

export type TensorType = 'float32' | 'float16' | 'int32' | 'int64'

export type TensorData = Float32Array | Uint16Array | Int32Array | BigInt64Array

/** A CPU tensor. float16 data is IEEE half bits in a Uint16Array. */
export interface Tensor {
  type: TensorType
  dims: readonly number[]
  data: TensorData
}

export const TENSOR_TYPES: readonly TensorType[] = ['float32', 'float16', 'int32', 'int64']

export function isTensorType(type: string): type is TensorType {
  return (TENSOR_TYPES as readonly string[]).includes(type)
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((n, d) => n * d, 1)
}

const scratch = new DataView(new ArrayBuffer(4))

/** float32 → IEEE 754 half, round to nearest even (overflow → ±Inf, NaN kept). */
export function toHalfBits(value: number): number {
  scratch.setFloat32(0, value)
  const x = scratch.getUint32(0)
  const sign = (x >>> 16) & 0x8000
  const exp = (x >>> 23) & 0xff
  let mant = x & 0x7fffff
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0)
  const e = exp - 127 + 15
  if (e >= 0x1f) return sign | 0x7c00
  if (e <= 0) {
    // Subnormal half: shift the implicit bit in, round to nearest even.
    if (e < -10) return sign
    mant |= 0x800000
    const shift = 14 - e
    const half = 1 << (shift - 1)
    const rest = mant & ((1 << shift) - 1)
    let out = mant >>> shift
    if (rest > half || (rest === half && (out & 1) === 1)) out += 1
    return sign | out
  }
  let out = (e << 10) | (mant >>> 13)
  const rest = mant & 0x1fff
  if (rest > 0x1000 || (rest === 0x1000 && (out & 1) === 1)) out += 1 // may carry into exp: fine
  return sign | out
}

export function fromHalfBits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1
  const exp = (bits >>> 10) & 0x1f
  const mant = bits & 0x3ff
  if (exp === 0) return sign * mant * 2 ** -24
  if (exp === 0x1f) return mant ? NaN : sign * Infinity
  return sign * (1 + mant / 1024) * 2 ** (exp - 15)
}

/** Any float tensor's values as float32 (int tensors too, for completeness). */
export function toFloat32(tensor: Tensor): Float32Array {
  const { data } = tensor
  if (data instanceof Float32Array) return data
  if (tensor.type === 'float16') {
    const out = new Float32Array(data.length)
    for (let i = 0; i < data.length; i++) out[i] = fromHalfBits(Number(data[i]))
    return out
  }
  return Float32Array.from(data, (v: number | bigint) => Number(v))
}

/**
 * Values in the dtype a session input declares. Integer types truncate toward zero, as numpy's
 * `astype(np.int64)` does in diffusers' ONNX pipeline when it casts a float timestep.
 */
export function fromNumbers(
  values: ArrayLike<number>,
  dims: readonly number[],
  type: TensorType,
): Tensor {
  const n = values.length
  switch (type) {
    case 'float32':
      return {
        type,
        dims,
        data: values instanceof Float32Array ? values : Float32Array.from(values),
      }
    case 'float16': {
      const data = new Uint16Array(n)
      for (let i = 0; i < n; i++) data[i] = toHalfBits(values[i])
      return { type, dims, data }
    }
    case 'int32': {
      const data = new Int32Array(n)
      for (let i = 0; i < n; i++) data[i] = Math.trunc(values[i])
      return { type, dims, data }
    }
    case 'int64': {
      const data = new BigInt64Array(n)
      for (let i = 0; i < n; i++) data[i] = BigInt(Math.trunc(values[i]))
      return { type, dims, data }
    }
  }
}
