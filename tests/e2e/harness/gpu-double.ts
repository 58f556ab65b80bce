import type { ExecutionProvider } from '../../../src/diffusion/provider'

/**
 * A stand-in for the diffusion pipeline in the GPU worker: one WebGPU device and pipeline,
 * created on first use and kept for later jobs (as ORT sessions will be), and which provider
 * ran and why (the node reports it with `ctx.report`, as the diffusion nodes do).
 */

interface GpuState {
  device: GPUDevice
  pipeline: GPUComputePipeline
}

// WebGPU's flag values (TypeScript's DOM library has the types but not these constants).
const MAP_READ = 0x1
const COPY_SRC = 0x4
const COPY_DST = 0x8
const STORAGE = 0x80
const MAP_MODE_READ = 0x1

let state: Promise<GpuState | undefined> | undefined
let devicesCreated = 0

const SHADER = /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> data: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x < arrayLength(&data)) { data[id.x] = data[id.x] * 2.0; }
}`

async function createState(): Promise<GpuState | undefined> {
  const adapter = await navigator.gpu?.requestAdapter()
  if (!adapter) return undefined
  const device = await adapter.requestDevice()
  devicesCreated++
  const module = device.createShaderModule({ code: SHADER })
  const pipeline = device.createComputePipeline({
    layout: 'auto',
    compute: { module, entryPoint: 'main' },
  })
  return { device, pipeline }
}

async function double(gpu: GpuState, data: Float32Array): Promise<Float32Array> {
  const { device, pipeline } = gpu
  const size = Math.max(4, data.byteLength)
  const storage = device.createBuffer({
    size,
    usage: STORAGE | COPY_SRC | COPY_DST,
  })
  const readback = device.createBuffer({
    size,
    usage: MAP_READ | COPY_DST,
  })
  device.queue.writeBuffer(storage, 0, data)
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [{ binding: 0, resource: { buffer: storage } }],
  })
  const encoder = device.createCommandEncoder()
  const pass = encoder.beginComputePass()
  pass.setPipeline(pipeline)
  pass.setBindGroup(0, bindGroup)
  pass.dispatchWorkgroups(Math.ceil(data.length / 64))
  pass.end()
  encoder.copyBufferToBuffer(storage, 0, readback, 0, size)
  device.queue.submit([encoder.finish()])
  await readback.mapAsync(MAP_MODE_READ)
  const out = new Float32Array(readback.getMappedRange().slice(0, data.byteLength))
  readback.unmap()
  storage.destroy()
  readback.destroy()
  return out
}

export async function doubleOnGpu(
  channels: Float32Array[],
  wanted: ExecutionProvider,
): Promise<{
  channels: Float32Array[]
  info: { provider: ExecutionProvider; devicesCreated: number; inWorker: boolean }
  reason?: string
}> {
  const gpu = wanted === 'webgpu' ? await (state ??= createState()) : undefined
  const provider: ExecutionProvider = gpu ? 'webgpu' : 'wasm'
  const out = gpu
    ? await Promise.all(channels.map((c) => double(gpu, c)))
    : channels.map((c) => c.map((v) => v * 2))
  const reason = gpu ? undefined : wanted === 'wasm' ? 'asked for wasm' : 'no WebGPU adapter'
  const inWorker = typeof document === 'undefined'
  return { channels: out, info: { provider, devicesCreated, inWorker }, reason }
}
