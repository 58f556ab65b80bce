import { afterEach, describe, expect, it, vi } from 'vitest'
import { downloadResumable, memoryPartialStore } from '../../src/diffusion/browser/download'
import {
  allowModelDownload,
  isModelDownloadAllowed,
  requireModelDownloadAllowed,
} from '../../src/diffusion/browser/model-permissions'
import {
  CONNECT_TIMEOUT_MS,
  fileSizeLimit,
  STALL_TIMEOUT_MS,
} from '../../src/diffusion/fetch-limits'
import { allowRemoteModelsHeadless } from '../../src/diffusion/remote-permission'
import { resolveModelSource } from '../../src/diffusion/resolve'
import { fetchBytes } from '../../src/diffusion/source'
import type { UserError } from '../../src/engine/errors'

/** A body that sends `chunks` pieces of `size` bytes, counting how many were pulled. */
function countedBody(chunks: number, size: number) {
  const state = { pulled: 0, cancelled: false }
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled === chunks) return controller.close()
      state.pulled++
      controller.enqueue(new Uint8Array(size))
    },
    cancel() {
      state.cancelled = true
    },
  })
  return { body, state }
}

const reply = (body: BodyInit | null, headers: Record<string, string> = {}, status = 200) =>
  (() => Promise.resolve(new Response(body, { status, headers }))) as typeof fetch

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  allowRemoteModelsHeadless(false)
})

describe('model downloads are bounded in size', () => {
  it('refuses a file whose Content-Length is over the limit without reading its body', async () => {
    const { body, state } = countedBody(1000, 1024)
    const fetchImpl = reply(body, { 'content-length': String(3e9) })
    await expect(
      fetchBytes(
        'https://x/m/unet/model.onnx',
        'unet/model.onnx',
        'https://x/m/',
        undefined,
        fetchImpl,
      ),
    ).rejects.toThrow(
      /"unet\/model\.onnx" from https:\/\/x\/m\/ is 3\.0 GB, more than a model file of this kind can be \(at most 2\.1 GB\)/,
    )
    expect(state.pulled).toBeLessThanOrEqual(1) // a stream may pull one chunk ahead
  })

  it('stops a reply with no length once it passes the limit, keeping no more than that', async () => {
    const { body, state } = countedBody(1000, 1024)
    const got = fetchBytes(
      'https://x/m/c.json',
      'c.json',
      'the model',
      undefined,
      reply(body),
      10 * 1024,
    )
    await expect(got).rejects.toThrow(
      /more than a model file of this kind can be \(at most 10 kB\)/,
    )
    expect(state.pulled).toBeLessThanOrEqual(12)
    expect(state.cancelled).toBe(true)
  })

  it('stops a resumable download whose full size (Content-Range) is over the limit', async () => {
    const { body, state } = countedBody(1000, 1024)
    const fetchImpl = reply(body, { 'content-range': 'bytes 0-99/300000000000' }, 206)
    const store = memoryPartialStore()
    await expect(
      downloadResumable('https://x/m/unet/model.onnx', store, {
        path: 'unet/model.onnx',
        label: 'the model',
        fetchImpl,
      }),
    ).rejects.toThrow(/is 300\.0 GB/)
    expect(state.pulled).toBeLessThanOrEqual(1)
    expect(store.chunks).toEqual([])
  })

  it('allows each kind of model file what it can really be', () => {
    expect(fileSizeLimit('tokenizer/vocab.json')).toBe(64 * 1024 ** 2)
    expect(fileSizeLimit('unet/model.onnx')).toBe(2 * 1024 ** 3) // protobuf's own cap
    expect(fileSizeLimit('unet/weights.pb')).toBe(6 * 1024 ** 3)
    expect(fileSizeLimit('unet/model.onnx', 1e9)).toBe(1.1e9 + 1024 ** 2) // a manifest's size
  })
})

describe('model downloads time out', () => {
  it('gives up on a server that does not answer, in words', async () => {
    vi.useFakeTimers()
    let aborted = false
    const never = ((_url: string, init?: RequestInit) =>
      new Promise((_, reject) =>
        init?.signal?.addEventListener('abort', () => {
          aborted = true
          reject(new DOMException('aborted', 'AbortError'))
        }),
      )) as typeof fetch
    const got = fetchBytes('https://x/m/a.json', 'a.json', 'https://x/m/', undefined, never)
    const check = expect(got).rejects.toThrow(
      /https:\/\/x\/m\/ did not answer for "a\.json" for 30 s; the download was stopped\./,
    )
    await vi.advanceTimersByTimeAsync(CONNECT_TIMEOUT_MS)
    await check
    expect(aborted).toBe(true)
  })

  it('gives up on a download that stalls part-way', async () => {
    vi.useFakeTimers()
    let cancelled = false
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(10)) // then nothing, ever
      },
      cancel() {
        cancelled = true
      },
    })
    const got = fetchBytes('https://x/m/a.json', 'a.json', 'https://x/m/', undefined, reply(body))
    const check = expect(got).rejects.toThrow(/stopped sending "a\.json" for 60 s/)
    await vi.advanceTimersByTimeAsync(STALL_TIMEOUT_MS)
    await check
    expect(cancelled).toBe(true)
  })
})

describe('a graph never makes the app fetch a model by itself', () => {
  it('headless: a model URL is refused before any request unless --allow-remote-models', async () => {
    const requests: string[] = []
    vi.stubGlobal('fetch', (url: string) => {
      requests.push(String(url))
      return Promise.resolve(new Response(null, { status: 404 }))
    })
    const source = await resolveModelSource('https://models.example.invalid/sd/')
    await expect(source.read('model_index.json')).rejects.toThrow(
      /downloaded from models\.example\.invalid \(https:\/\/models\.example\.invalid\/sd\/\); nothing is fetched/,
    )
    const sd15 = await resolveModelSource('sd15')
    await expect(sd15.read('unet/model.onnx')).rejects.toThrow(/huggingface\.co/)
    expect(requests).toEqual([])

    allowRemoteModelsHeadless(true)
    await expect(source.read('model_index.json')).rejects.toThrow(/no file "model_index\.json"/)
    expect(requests).toEqual(['https://models.example.invalid/sd/model_index.json'])
  })

  it('browser: a download is refused until the person allows that model address', async () => {
    const base = 'https://models.example.invalid/other/'
    expect(await isModelDownloadAllowed(base)).toBe(false)
    const refused = await requireModelDownloadAllowed(base).then(
      () => undefined,
      (error: unknown) => error as UserError,
    )
    expect(refused?.message).toMatch(/from models\.example\.invalid .*nothing is fetched/)
    expect(refused?.hint).toMatch(/Allow the download when the editor asks/)
    await allowModelDownload('https://models.example.invalid/other') // no slash: the same
    expect(await isModelDownloadAllowed(base)).toBe(true)
    expect(await isModelDownloadAllowed('https://models.example.invalid/')).toBe(false)
  })
})
