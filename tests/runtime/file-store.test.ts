import { describe, expect, it } from 'vitest'
import { UserError } from '../../src/engine/errors'
import { sha256Hex } from '../../src/engine/hash'
import { createBrowserFileStore, parseFileRef, type StoredFile } from '../../src/runtime/file-store'
import { memoryStore } from './fake-stores'

const sizeOf = (f: StoredFile) => (f.bytes instanceof Blob ? f.bytes.size : f.bytes.byteLength)

function fixture(hash?: (blob: Blob) => Promise<string>) {
  const store = memoryStore<StoredFile>(sizeOf)
  const fetched: string[] = []
  const fetchStub = (url: string) => {
    fetched.push(url)
    return Promise.resolve(
      url.endsWith('/samples/demo.wav')
        ? new Response(new Uint8Array([1, 2, 3]))
        : new Response('not found', { status: 404 }),
    )
  }
  const files = createBrowserFileStore({
    store,
    baseUrl: '/app/',
    fetch: fetchStub as unknown as typeof fetch,
    hash,
  })
  return { files, store, fetched }
}

describe('browser file store', () => {
  it('fetches bundled samples under the base URL, once, and tells their hash', async () => {
    const { files, fetched } = fixture()
    const file = await files.resolve('sample:demo.wav')
    await files.resolve('sample:demo.wav')
    const bytes = new Uint8Array([1, 2, 3])
    expect(file).toEqual({ name: 'demo.wav', bytes, sha256: await sha256Hex(bytes) })
    expect(fetched).toEqual(['/app/samples/demo.wav'])
  })

  it('hashes a sample once, even when it is fetched again', async () => {
    const large = new Uint8Array(4 * 1024 * 1024 + 1)
    const hashed: Blob[] = []
    const files = createBrowserFileStore({
      store: memoryStore<StoredFile>(sizeOf),
      baseUrl: '/',
      fetch: (() => Promise.resolve(new Response(large))) as unknown as typeof fetch,
      hash: (blob) => {
        hashed.push(blob)
        return Promise.resolve('e'.repeat(64))
      },
    })
    await files.resolve('sample:long.wav')
    // Five other samples push it out of the recent files; it is fetched again, not hashed.
    for (const n of [1, 2, 3, 4, 5]) await files.resolve(`sample:${n}.wav`)
    expect((await files.resolve('sample:long.wav')).sha256).toBe('e'.repeat(64))
    expect(hashed).toHaveLength(6)
  })

  it('says which bundled sample is missing', async () => {
    const { files } = fixture()
    await expect(files.resolve('sample:gone.wav')).rejects.toThrow(
      /"gone.wav" could not be loaded \(HTTP 404\)/,
    )
  })

  it('keeps dropped files by the hash of their bytes and reads them back', async () => {
    const { files, store } = fixture()
    const bytes = new Uint8Array([9, 8, 7])
    const ref = await files.add(bytes, 'my take.wav')
    const sha = await sha256Hex(bytes)
    expect(ref).toBe(`blob:${sha}/my%20take.wav`)
    expect(parseFileRef(ref)).toEqual({ scheme: 'blob', sha256: sha, name: 'my take.wav' })
    const fresh = createBrowserFileStore({ store })
    expect(await fresh.resolve(ref)).toEqual({ name: 'my take.wav', bytes, sha256: sha })
    expect(await fresh.resolve(`blob:${sha}`)).toEqual({ name: 'my take.wav', bytes, sha256: sha })
  })

  it('stores dropped files as Blobs, which IndexedDB keeps by handle', async () => {
    const { files, store } = fixture()
    const bytes = new Uint8Array([1, 2])
    await files.add(bytes, 'a.wav')
    expect(store.map.get(await sha256Hex(bytes))?.bytes).toBeInstanceOf(Blob)
  })

  it('still reads files stored as bytes before they were Blobs', async () => {
    const { store } = fixture()
    const bytes = new Uint8Array([5, 6])
    const sha = await sha256Hex(bytes)
    await store.set(sha, { name: 'old.wav', bytes, addedAt: 0 })
    const files = createBrowserFileStore({ store })
    expect(await files.resolve(`blob:${sha}/old.wav`)).toEqual({
      name: 'old.wav',
      bytes,
      sha256: sha,
    })
  })

  it('hashes large dropped files with the hasher it was given (a worker in the browser)', async () => {
    const given: Blob[] = []
    const { files } = fixture((blob) => {
      given.push(blob)
      return Promise.resolve('f'.repeat(64))
    })
    const large = new Uint8Array(9 * 1024 * 1024).map((_, i) => i % 251)
    expect(await files.add(large, 'long.wav')).toBe(`blob:${'f'.repeat(64)}/long.wav`)
    const stored = Buffer.from(await given[0].arrayBuffer())
    expect(stored.equals(large)).toBe(true) // copied into the Blob in slices, all of it
    await files.add(new Uint8Array(10), 'short.wav')
    expect(given).toHaveLength(1) // small files are hashed in this thread
  })

  it('names the file a graph needs when this browser no longer has it', async () => {
    const { files } = fixture()
    const ref = `blob:${'0'.repeat(64)}/x.wav`
    const error = await files.resolve(ref).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect(error).toMatchObject({
      message: "The file 'x.wav' is no longer stored in this browser.",
      hint: 'Drop it again on this node.',
    })
  })

  it('refuses paths on a disk, which only the command line can read', async () => {
    const { files } = fixture()
    await expect(files.resolve('file:/home/me/a.wav')).rejects.toThrow(/cannot open/)
  })
})
