import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../../src/engine/hash'
import { KeyComputer, type FileResolver } from '../../src/engine/keys'
import { graphOf, testRegistry } from '../helpers/test-nodes'

const bytes = new Uint8Array([4, 5, 6, 7])
const graph = graphOf([{ id: 'size', type: 'test/file-size', params: { file: 'mem:take.wav' } }])

function keyWith(resolve: FileResolver) {
  return new KeyComputer(graph, testRegistry, resolve).keyOf('size')
}

describe('content keys of file params', () => {
  it('keys a file by the hash of its bytes when the resolver knows no hash', async () => {
    const plain = await keyWith(() => Promise.resolve({ name: 'take.wav', bytes }))
    const told = await keyWith(async () => ({
      name: 'take.wav',
      bytes,
      sha256: await sha256Hex(bytes),
    }))
    expect(plain.key).toBeDefined()
    expect(told.key).toBe(plain.key)
  })

  it('uses the hash the resolver already knows instead of hashing the bytes again', async () => {
    const told = await keyWith(() =>
      Promise.resolve({ name: 'take.wav', bytes, sha256: 'a'.repeat(64) }),
    )
    const other = await keyWith(() =>
      Promise.resolve({ name: 'take.wav', bytes, sha256: 'b'.repeat(64) }),
    )
    expect(told.key).not.toBe(other.key)
    expect(told.params.file).toEqual({ ref: 'mem:take.wav', name: 'take.wav', bytes })
  })

  it('keeps the key when only the file name changes', async () => {
    const a = await keyWith(() => Promise.resolve({ name: 'take.wav', bytes }))
    const b = await keyWith(() => Promise.resolve({ name: 'renamed.wav', bytes }))
    expect(b.key).toBe(a.key)
  })
})
