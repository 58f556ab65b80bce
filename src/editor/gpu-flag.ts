/**
 * `?gpu=wasm` runs GPU nodes on WASM (to compare with WebGPU, or when a GPU misbehaves);
 * `?gpu=webgpu` runs them on WebGPU even where the only adapter is a software one.
 */
export function forcedGpuProvider(): 'auto' | 'wasm' | 'webgpu' {
  const asked = new URLSearchParams(window.location.search).get('gpu')
  return asked === 'wasm' || asked === 'webgpu' ? asked : 'auto'
}
