import { describe, expect, it } from 'vitest'
import { downloadResumable, memoryPartialStore } from '../../src/diffusion/browser/download'
import { MANIFESTS, planDownload } from '../../src/diffusion/manifests'
import { resolveModelSource } from '../../src/diffusion/resolve'
import { SCHEDULER_KINDS } from '../../src/diffusion/schedulers'
import { memoise, type Pending } from '../../src/diffusion/sessions'
import { MissingFileError } from '../../src/diffusion/source'

const FILE = Uint8Array.from({ length: 1000 }, (_, i) => i % 251)

/** A server for FILE that honours Range requests (or not), and can cut a response short. */
function server(options: { ranges?: boolean; cutAt?: number } = {}) {
  const requests: (string | null)[] = []
  const fetchImpl = (_url: string | URL | Request, init?: RequestInit) => {
    const range = new Headers(init?.headers).get('range')
    requests.push(range)
    const from = range && options.ranges !== false ? Number(/bytes=(\d+)-/.exec(range)?.[1]) : 0
    if (from >= FILE.length) return Promise.resolve(new Response(null, { status: 416 }))
    const cut = options.cutAt
    options.cutAt = undefined
    let sent = false
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) {
          sent = true
          controller.enqueue(FILE.slice(from, cut ?? FILE.length))
        } else if (cut !== undefined) controller.error(new Error('connection reset'))
        else controller.close()
      },
    })
    const headers = new Headers({ 'content-length': String(FILE.length - from) })
    if (from > 0) headers.set('content-range', `bytes ${from}-${FILE.length - 1}/${FILE.length}`)
    return Promise.resolve(new Response(body, { status: from > 0 ? 206 : 200, headers }))
  }
  return { requests, fetchImpl }
}

const options = (fetchImpl: typeof fetch) => ({ fetchImpl, path: 'unet/model.onnx', label: 'test' })

describe('resumable downloads', () => {
  it('resumes an interrupted download with a Range request and appends the rest', async () => {
    const s = server({ cutAt: 400 })
    const store = memoryPartialStore()
    await expect(downloadResumable('https://x/m', store, options(s.fetchImpl))).rejects.toThrow()
    expect(await store.size()).toBe(400)
    const progress: number[] = []
    const bytes = await downloadResumable('https://x/m', store, {
      ...options(s.fetchImpl),
      onProgress: (loaded) => progress.push(loaded),
    })
    expect(bytes).toEqual(FILE)
    expect(s.requests).toEqual([null, 'bytes=400-'])
    expect(progress.at(-1)).toBe(1000)
  })

  it('starts over when the server ignores the range', async () => {
    const s = server({ ranges: false, cutAt: 300 })
    const store = memoryPartialStore()
    await downloadResumable('https://x/m', store, options(s.fetchImpl)).catch(() => undefined)
    expect(await downloadResumable('https://x/m', store, options(s.fetchImpl))).toEqual(FILE)
  })

  it('takes a 416 after a complete part as "already whole", and a 404 as a missing file', async () => {
    const store = memoryPartialStore()
    await store.append(FILE)
    expect(await downloadResumable('https://x/m', store, options(server().fetchImpl))).toEqual(FILE)
    const missing = (() => Promise.resolve(new Response(null, { status: 404 }))) as typeof fetch
    await expect(
      downloadResumable('https://x/m', memoryPartialStore(), options(missing)),
    ).rejects.toBeInstanceOf(MissingFileError)
  })
})

describe('model manifests', () => {
  it('describe SD 1.5, SD-Turbo, LCM and DreamShaper models with sizes and needs', () => {
    expect(MANIFESTS.map((m) => m.id)).toEqual([
      'sd15',
      'sd-turbo',
      'lcm-dreamshaper-v7',
      'sd15-fp16',
      'dreamshaper-8',
      'lcm-dreamshaper-v7-fp32',
    ])
    for (const m of MANIFESTS) {
      expect(m.baseUrl).toMatch(/^https:\/\/.*\/$/)
      expect(SCHEDULER_KINDS).toContain(m.scheduler)
      expect(m.steps).toBeGreaterThan(0)
      const paths = m.files.map((f) => f.path)
      for (const needed of ['tokenizer/vocab.json', 'text_encoder/model.onnx', 'unet/model.onnx']) {
        expect(paths).toContain(needed)
      }
      expect(m.files.every((f) => f.bytes > 0)).toBe(true)
    }
  })

  it('plan a download: sizes, and WASM with a warning when shader-f16 is missing', () => {
    const turbo = MANIFESTS[1]
    const good = planDownload(turbo, { webgpu: true, shaderF16: true })
    expect(good.provider).toBe('webgpu')
    expect(good.warnings).toEqual([])
    expect(good.totalBytes).toBeGreaterThan(2.5e9)
    const swiftShader = planDownload(turbo, { webgpu: true, shaderF16: false })
    expect(swiftShader.provider).toBe('wasm')
    expect(swiftShader.warnings.join(' ')).toMatch(/shader-f16/)
    expect(planDownload(turbo, { webgpu: true, shaderF16: true }, false).totalBytes).toBeLessThan(
      good.totalBytes,
    )
    expect(
      planDownload(MANIFESTS[0], { webgpu: true, shaderF16: true }).warnings.length,
    ).toBeGreaterThan(0)
  })
})

describe('model references', () => {
  it('resolves tiny, manifest names, URLs and paths', async () => {
    expect((await resolveModelSource('tiny')).id).toBe('tiny')
    expect((await resolveModelSource('')).id).toBe('tiny')
    expect((await resolveModelSource('sd-turbo')).id).toBe(MANIFESTS[1].baseUrl)
    expect((await resolveModelSource('https://example.org/m')).id).toBe('https://example.org/m/')
    expect((await resolveModelSource('/models/x')).id).toBe('folder:/models/x/')
  })

  it('does not ask the server for files a manifest does not list', async () => {
    const turbo = await resolveModelSource('sd-turbo')
    await expect(turbo.read('safety_checker/model.onnx')).rejects.toBeInstanceOf(MissingFileError)
  })
})

describe('memoised loads', () => {
  it('share one promise while pending, and forget failures so the next call retries', async () => {
    const cache = new Map<string, Pending<number>>()
    let calls = 0
    const make = () => {
      calls++
      return calls === 1 ? Promise.reject(new Error('offline')) : Promise.resolve(calls)
    }
    const first = memoise(cache, 'k', undefined, make)
    const again = memoise(cache, 'k', undefined, make)
    expect(again).toBe(first)
    await expect(first).rejects.toThrow('offline')
    expect(await memoise(cache, 'k', undefined, make)).toBe(2)
    expect(await memoise(cache, 'k', undefined, make)).toBe(2)
    expect(calls).toBe(2)
  })
})
