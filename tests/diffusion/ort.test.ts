import { describe, expect, it } from 'vitest'
import { gpuVerdict, webGpuVerdict, type AdapterLike, type GpuLike } from '../../src/diffusion/ort'

/** A stand-in for navigator.gpu whose adapter has the given features (or none at all). */
function stubGpu(features: string[] | null | 'refuses'): GpuLike {
  return {
    requestAdapter: () =>
      features === 'refuses'
        ? Promise.reject(new Error('adapter request failed'))
        : Promise.resolve(features && { features: new Set(features) }),
  }
}

const adapter = (...features: string[]): AdapterLike => ({ features: new Set(features) })

describe('choosing WebGPU or WASM for a network', () => {
  it('runs fp16-weight networks on WebGPU only where the adapter has shader-f16', () => {
    const gpu = stubGpu([])
    expect(webGpuVerdict(gpu, adapter('shader-f16'), true)).toEqual({ ok: true, reason: 'WebGPU' })
    expect(webGpuVerdict(gpu, adapter('timestamp-query'), true)).toEqual({
      ok: false,
      reason: 'the GPU lacks shader-f16, which this fp16 model needs',
    })
  })

  it('runs fp32 networks on any WebGPU adapter', () => {
    expect(webGpuVerdict(stubGpu([]), adapter(), false)).toEqual({ ok: true, reason: 'WebGPU' })
  })

  it('falls back to WASM without WebGPU or without an adapter, saying which', () => {
    expect(webGpuVerdict(undefined, null, false)).toEqual({
      ok: false,
      reason: 'no WebGPU in this browser',
    })
    expect(webGpuVerdict(stubGpu(null), null, false)).toEqual({
      ok: false,
      reason: 'no WebGPU adapter',
    })
  })

  it('asks the GPU for its adapter, and treats a refused request as no adapter', async () => {
    expect(await gpuVerdict(stubGpu(['shader-f16']), true)).toMatchObject({ ok: true })
    expect(await gpuVerdict(stubGpu([]), true)).toMatchObject({ ok: false })
    expect(await gpuVerdict(stubGpu([]), false)).toMatchObject({ ok: true })
    expect(await gpuVerdict(stubGpu('refuses'), false)).toEqual({
      ok: false,
      reason: 'no WebGPU adapter',
    })
    expect(await gpuVerdict(undefined, false)).toMatchObject({ ok: false })
  })
})
