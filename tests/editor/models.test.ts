import { describe, expect, it } from 'vitest'
import { stableDiffusion } from '../../nodes/stable-diffusion'
import { applyModel, nodesWithModelParam } from '../../src/editor/models/apply'
import { describeModelRef, shortUrl } from '../../src/editor/models/model-ref'
import { providerSummary, runDetail } from '../../src/editor/models/run-info'
import type { RunReport } from '../../src/engine/define-node'
import { normalizeModelUrl, probeModelUrl } from '../../src/editor/models/url-check'
import { GraphStore } from '../../src/editor/store/graph-store'
import { createRegistry } from '../../src/engine/registry'
import { graphOf } from '../helpers/test-nodes'

const url = (input: string) => {
  const check = normalizeModelUrl(input)
  return check.ok ? check.url : `refused: ${check.problem}`
}

describe('model URLs typed into the panel', () => {
  it('turns a Hugging Face page into the address of its files, ending in a slash', () => {
    expect(url('https://huggingface.co/schmuell/sd-turbo-ort-web')).toBe(
      'https://huggingface.co/schmuell/sd-turbo-ort-web/resolve/main/',
    )
    expect(url('huggingface.co/a/b/tree/fp16/onnx')).toBe(
      'https://huggingface.co/a/b/resolve/fp16/onnx/',
    )
    expect(url('https://huggingface.co/a/b/blob/main/unet/model.onnx')).toBe(
      'https://huggingface.co/a/b/resolve/main/',
    )
    expect(url('https://example.org/models/sd?x=1#top')).toBe('https://example.org/models/sd/')
    expect(url('http://127.0.0.1:8000/model_index.json')).toBe('http://127.0.0.1:8000/')
  })

  it('refuses what is not a downloadable web address, in words', () => {
    expect(url('')).toMatch(/Paste the address/)
    expect(url('not a url at all')).toMatch(/not a web address/)
    expect(url('https://nodots/')).toMatch(/not a web address/)
    expect(url('http://example.org/m/')).toMatch(/must start with https/)
    expect(url('file:///home/me/model')).toMatch(/file addresses cannot be downloaded/)
  })
})

type Answer = { status: number; type?: string; length?: number } | 'unreachable'

/** A fetch that answers per path, recording the methods it was asked with. */
function host(answers: Record<string, Answer | Answer[]>) {
  const calls: string[] = []
  const fetchImpl = ((input: string, init?: RequestInit) => {
    const path = new URL(input).pathname.replace(/^\/m\//, '')
    calls.push(`${init?.method ?? 'GET'} ${path}`)
    const planned = answers[path] ?? { status: 404 }
    const answer = Array.isArray(planned) ? (planned.shift() ?? { status: 500 }) : planned
    if (answer === 'unreachable') return Promise.reject(new TypeError('Failed to fetch'))
    const headers = new Headers({ 'content-type': answer.type ?? 'application/octet-stream' })
    if (answer.length) headers.set('content-length', String(answer.length))
    return Promise.resolve(new Response(null, { status: answer.status, headers }))
  }) as typeof fetch
  return { calls, fetchImpl }
}

describe('checking a model URL before downloading', () => {
  const base = 'https://example.org/m/'
  const ok = { status: 200, length: 1_700_000_000 }

  it('finds a model and reports its UNet size, asking only for headers', async () => {
    const h = host({ 'unet/model.onnx': ok, 'tokenizer/vocab.json': { status: 200 } })
    expect(await probeModelUrl(base, h.fetchImpl)).toEqual({
      ok: true,
      url: base,
      unetBytes: 1_700_000_000,
    })
    expect(h.calls).toEqual(['HEAD unet/model.onnx', 'HEAD tokenizer/vocab.json'])
  })

  it('falls back to a one-byte GET where HEAD is not allowed', async () => {
    const h = host({ 'unet/model.onnx': [{ status: 405 }, ok], 'tokenizer/vocab.json': ok })
    expect((await probeModelUrl(base, h.fetchImpl)).ok).toBe(true)
    expect(h.calls.slice(0, 2)).toEqual(['HEAD unet/model.onnx', 'GET unet/model.onnx'])
  })

  it('explains an unreachable server or CORS, a wrong folder, a private model, a web page', async () => {
    const problem = async (answers: Record<string, Answer | Answer[]>) => {
      const check = await probeModelUrl(base, host(answers).fetchImpl)
      return check.ok ? 'ok' : `${check.problem} ${check.hint ?? ''}`
    }
    expect(await problem({ 'unet/model.onnx': 'unreachable' })).toMatch(
      /could not be reached.*CORS.*Access-Control-Allow-Origin/,
    )
    expect(await problem({})).toMatch(/no unet\/model\.onnx.*top folder/)
    expect(await problem({ 'unet/model.onnx': { status: 403 } })).toMatch(/refused.*403.*private/)
    expect(await problem({ 'unet/model.onnx': { status: 200, type: 'text/html' } })).toMatch(
      /web page instead of unet\/model\.onnx/,
    )
    expect(await problem({ 'unet/model.onnx': ok })).toMatch(/no tokenizer\/vocab\.json/)
  })
})

describe('what a model node reported about its run, in words', () => {
  it('says one provider when every network ran there, with steps, scheduler and size', () => {
    const report: RunReport = {
      providers: [
        { network: 'text_encoder', provider: 'webgpu' },
        { network: 'unet', provider: 'webgpu' },
        { network: 'vae_decoder', provider: 'webgpu' },
      ],
      steps: 4,
      scheduler: 'euler',
      size: { width: 512, height: 256 },
      tinyModel: true,
    }
    expect(providerSummary(report)).toBe('WebGPU')
    expect(runDetail(report)).toBe('4 steps, euler · 512 × 256')
  })

  it('names each network when they ran on different providers, two model slots included', () => {
    const report: RunReport = {
      providers: [
        { network: 'text_encoder', provider: 'webgpu' },
        { network: 'unet', provider: 'wasm' },
        { network: 'text_encoder', provider: 'webgpu' },
        { network: 'unet', provider: 'wasm' },
      ],
      work: '12 chunks',
    }
    expect(providerSummary(report)).toBe(
      'text encoder: WebGPU, UNet: WASM (CPU), text encoder: WebGPU, UNet: WASM (CPU)',
    )
    expect(runDetail(report)).toBe('12 chunks')
    expect(
      providerSummary({ providers: [{ network: 'unet', provider: 'cpu (onnxruntime-node)' }] }),
    ).toBe('cpu (onnxruntime-node)')
  })
})

describe('model references in words', () => {
  it('names the tiny model as noise, known models by name, URLs and folders briefly', () => {
    expect(describeModelRef('tiny')).toMatchObject({ kind: 'tiny', warning: 'noise' })
    expect(describeModelRef('')).toMatchObject({ kind: 'tiny' })
    expect(describeModelRef('', 'same')).toMatchObject({ kind: 'same', label: 'Same as Model A' })
    expect(describeModelRef('sd-turbo')).toMatchObject({ kind: 'manifest', label: 'SD-Turbo' })
    expect(describeModelRef('folder:turbo').label).toBe('Folder “turbo”')
    expect(shortUrl('https://huggingface.co/a/b/resolve/main/')).toBe('huggingface.co/a/b')
    expect(describeModelRef('/models/sd').kind).toBe('path')
  })
})

describe('choosing a model', () => {
  const registry = createRegistry([stableDiffusion])
  const editor = () => {
    const graph = graphOf([
      { id: 'a', type: 'ml/stable-diffusion', params: { steps: 20 } },
      { id: 'b', type: 'ml/stable-diffusion' },
    ])
    return { store: new GraphStore(graph), registry }
  }
  const params = (e: ReturnType<typeof editor>, id: string) =>
    e.store.doc.nodes.find((n) => n.id === id)?.params

  it('sets the model and its suggested settings on one node as one undoable step', () => {
    const e = editor()
    const turbo = describeModelRef('sd-turbo').manifest
    expect(applyModel(e, 'sd-turbo', ['a'], 'model', turbo)).toBe(true)
    expect(params(e, 'a')).toMatchObject({ model: 'sd-turbo', steps: 1, guidance: 0 })
    expect(params(e, 'b')?.model).toBeUndefined()
    expect(e.store.getSnapshot().undoLabel).toBe('choose model SD-Turbo')
    e.store.undo()
    expect(params(e, 'a')).toEqual({ steps: 20 })
  })

  it('sets every node with a model param at once, leaving settings alone when asked', () => {
    const e = editor()
    expect(nodesWithModelParam(e, 'model')).toEqual(['a', 'b'])
    applyModel(e, 'folder:mine', nodesWithModelParam(e, 'model'), 'model')
    expect([params(e, 'a'), params(e, 'b')]).toEqual([
      { steps: 20, model: 'folder:mine' },
      { model: 'folder:mine' },
    ])
    expect(e.store.getSnapshot().undoLabel).toBe('choose model Folder “mine” on 2 nodes')
  })
})
