/**
 * What a model node reported about its run (`ctx.report`, see src/diffusion/run-report.ts), in
 * words for the node's footer. The report rides on the node's result, so a result taken from
 * the cache still says where it was computed.
 */

import type { RunReport } from '../../engine/define-node'

const NAMES: Record<string, string> = { webgpu: 'WebGPU', wasm: 'WASM (CPU)' }
const NETWORKS: Record<string, string> = {
  text_encoder: 'text encoder',
  unet: 'UNet',
  vae_decoder: 'VAE decoder',
  vae_encoder: 'VAE encoder',
}

/** 'WebGPU' when every network ran there, else 'UNet: WASM (CPU), text encoder: WebGPU'. */
export function providerSummary(report: RunReport): string {
  const providers = report.providers ?? []
  const kinds = new Set(providers.map((p) => p.provider))
  if (kinds.size === 1) {
    const [only] = kinds
    return NAMES[only] ?? only
  }
  return providers
    .map((p) => `${NETWORKS[p.network] ?? p.network}: ${NAMES[p.provider] ?? p.provider}`)
    .join(', ')
}

/** '4 steps, euler · 512 × 512', or what the node did ('encoded', '12 chunks'). */
export function runDetail(report: RunReport): string {
  const steps =
    report.steps !== undefined
      ? `${report.steps} step${report.steps === 1 ? '' : 's'}${report.scheduler ? `, ${report.scheduler}` : ''}`
      : undefined
  const size = report.size ? `${report.size.width} × ${report.size.height}` : undefined
  return [steps, report.work, size].filter(Boolean).join(' · ')
}
