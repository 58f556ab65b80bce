import { describe, expect, it } from 'vitest'
import { UserError } from '../../src/engine/errors'
import { sha256Hex } from '../../src/engine/hash'
import { createBrowserFileStore, parseFileRef, type StoredFile } from '../../src/runtime/file-store'
import { memoryStore } from './fake-stores'

function fixture() {
  const store = memoryStore<StoredFile>((f) => f.bytes.byteLength)
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
  })
  return { files, store, fetched }
}

describe('browser file store', () => {
  it('fetches bundled samples under the base URL, once', async () => {
    const { files, fetched } = fixture()
    const file = await files.resolve('sample:demo.wav')
    await files.resolve('sample:demo.wav')
    expect(file).toEqual({ name: 'demo.wav', bytes: new Uint8Array([1, 2, 3]) })
    expect(fetched).toEqual(['/app/samples/demo.wav'])
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
    expect(await fresh.resolve(ref)).toEqual({ name: 'my take.wav', bytes })
    expect(await fresh.resolve(`blob:${sha}`)).toEqual({ name: 'my take.wav', bytes })
  })

  it('names the file a graph needs when this browser no longer has it', async () => {
    const { files } = fixture()
    const ref = `blob:${'0'.repeat(64)}/x.wav`
    const error = await files.resolve(ref).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect(error).toMatchObject({
      message: "The audio file 'x.wav' is no longer stored in this browser.",
      hint: 'Drop it again on the Load Audio node.',
    })
  })

  it('refuses paths on a disk, which only the command line can read', async () => {
    const { files } = fixture()
    await expect(files.resolve('file:/home/me/a.wav')).rejects.toThrow(/cannot open/)
  })
})
