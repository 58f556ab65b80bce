/** What a join can fill: any typed array (it is made by its constructor, then set part by part). */
interface Fillable {
  set(array: ArrayLike<number>, offset?: number): void
}

/**
 * The parts one after another in one new array of the kind `Kind` makes: a batch of two
 * latents (`joinArrays(Float32Array, [a, b])`), the runs of a file's bytes
 * (`joinArrays(Uint8Array, parts)`). The parts are copied; none is kept.
 */
export function joinArrays<T extends Fillable>(
  Kind: new (length: number) => T,
  parts: readonly ArrayLike<number>[],
): T {
  const out = new Kind(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}
