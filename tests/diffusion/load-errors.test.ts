import { describe, expect, it } from 'vitest'
import {
  downloadResumable,
  memoryPartialStore,
  type PartialStore,
} from '../../src/diffusion/browser/download'
import { explainingSource, explainLoadError } from '../../src/diffusion/load-errors'
import { HttpError, memorySource, MissingFileError } from '../../src/diffusion/source'
import { CancelledError, describeError, UserError } from '../../src/engine/errors'

const LABEL = 'https://example.org/sd/'
const explain = (error: unknown) => describeError(explainLoadError(error, 'unet/model.onnx', LABEL))

describe('model load failures in words', () => {
  it('says storage is full, names the file, keeps what arrived and points to deleting models', () => {
    const full = explain(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))
    expect(full.message).toBe(
      `Browser storage is full: "unet/model.onnx" of ${LABEL} could not be saved`,
    )
    expect(full.hint).toMatch(/already downloaded is kept.*deleting models.*model panel/)
  })

  it('tells an unreachable server or CORS apart from HTTP refusals', () => {
    expect(explain(new TypeError('Failed to fetch')).message).toMatch(
      /Could not download "unet\/model\.onnx" .*could not be reached.*CORS/,
    )
    const forbidden = explain(new HttpError('unet/model.onnx', LABEL, 403))
    expect(forbidden.message).toMatch(/refused "unet\/model\.onnx".*HTTP 403/)
    expect(forbidden.hint).toMatch(/private.*Use a folder/)
    expect(explain(new HttpError('unet/model.onnx', LABEL, 503)).hint).toMatch(/try again later/)
  })

  it('says a cut-off download resumes, and a folder may need permission again', () => {
    const cut = explain(new Error(`${LABEL}: "unet/model.onnx" stopped at 10 of 20 bytes`))
    expect(cut.message).toMatch(/was cut off/)
    expect(cut.hint).toMatch(/resumes/)
    const denied = explain(new DOMException('denied', 'NotAllowedError'))
    expect(denied.hint).toMatch(/allow access to the folder/)
  })

  it('leaves missing files, cancellations and messages already in words alone', () => {
    const missing = new MissingFileError('unet/model.onnx', LABEL)
    const cancelled = new CancelledError()
    const worded = new UserError('already clear', 'do this')
    for (const error of [missing, cancelled, worded]) {
      expect(explainLoadError(error, 'x', LABEL)).toBe(error)
    }
  })

  it('wraps a source so every failed read is explained, and missing files stay missing', async () => {
    const broken = {
      ...memorySource('m', { 'a.json': new Uint8Array([1]) }, LABEL),
      read: (path: string) =>
        path === 'a.json'
          ? Promise.reject(new TypeError('Failed to fetch'))
          : Promise.reject(new MissingFileError(path, LABEL)),
    }
    const source = explainingSource(broken)
    await expect(source.read('a.json')).rejects.toThrow(/Could not download "a\.json"/)
    await expect(source.read('b.json')).rejects.toBeInstanceOf(MissingFileError)
  })
})

describe('a download that stops', () => {
  it('writes what it buffered before giving up, so the next attempt resumes from there', async () => {
    const inner = memoryPartialStore()
    let persisted = 0
    const store: PartialStore = { ...inner, persist: () => Promise.resolve(void persisted++) }
    let sent = false
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.error(new TypeError('network error'))
        sent = true
        controller.enqueue(new Uint8Array(100))
      },
    })
    const fetchImpl = (() =>
      Promise.resolve(new Response(body, { headers: { 'content-length': '300' } }))) as typeof fetch
    await expect(
      downloadResumable('https://x/m', store, { fetchImpl, path: 'unet/model.onnx', label: 'x' }),
    ).rejects.toThrow(/network error/)
    expect(persisted).toBe(1)
    expect(await store.size()).toBe(100)
  })
})
