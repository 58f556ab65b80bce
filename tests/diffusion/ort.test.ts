import { describe, expect, it } from 'vitest'
import { gpuVerdict, webGpuVerdict, type AdapterLike, type GpuLike } from '../../src/diffusion/ort'
import { softwareAdapterName } from '../../src/diffusion/provider'

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

  it('runs fp32 networks on any hardware WebGPU adapter', () => {
    expect(webGpuVerdict(stubGpu([]), adapter(), false)).toEqual({ ok: true, reason: 'WebGPU' })
  })

  it('runs on WASM where the only adapter is a software one, unless WebGPU is forced', () => {
    const gpu = stubGpu([])
    // Chromium's headless adapter, as it describes itself (vendor google, architecture swiftshader).
    const swiftShader: AdapterLike = {
      features: new Set(),
      info: { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: false },
    }
    expect(webGpuVerdict(gpu, swiftShader, false)).toEqual({
      ok: false,
      reason: 'WebGPU here is SwiftShader, a software renderer: WASM is faster on this CPU',
    })
    const fallback: AdapterLike = { features: new Set(), info: { isFallbackAdapter: true } }
    expect(webGpuVerdict(gpu, fallback, false).ok).toBe(false)
    expect(webGpuVerdict(gpu, { features: new Set(), isFallbackAdapter: true }, false).ok).toBe(
      false,
    )
    const hardware: AdapterLike = {
      features: new Set(),
      info: { vendor: 'nvidia', architecture: 'ampere' },
    }
    expect(webGpuVerdict(gpu, hardware, false)).toEqual({ ok: true, reason: 'WebGPU' })
    expect(webGpuVerdict(gpu, swiftShader, false, true)).toEqual({
      ok: true,
      reason: 'WebGPU chosen (?gpu=webgpu, on SwiftShader)',
    })
    expect(softwareAdapterName({ info: { description: 'llvmpipe (LLVM 15.0.6, 256 bits)' } })).toBe(
      'llvmpipe',
    )
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
