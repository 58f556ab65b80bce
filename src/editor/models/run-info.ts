/**
 * What the Stable Diffusion node said when it finished, read back for the node's footer. The
 * node (nodes/stable-diffusion.ts) ends every run with the message
 *
 *   ran on text_encoder: webgpu, unet: webgpu, vae_decoder: webgpu (4 steps, euler) — <tiny warning>
 *
 * so the provider that really ran each network reaches the page with the result itself
 * (src/diffusion/run-message.ts makes and parses it).
 */

import type { RunInfo } from '../../diffusion/run-message'
import { parseRunMessage } from '../../diffusion/run-message'

export { parseRunMessage, type NetworkProvider, type RunInfo } from '../../diffusion/run-message'

const NAMES: Record<string, string> = { webgpu: 'WebGPU', wasm: 'WASM (CPU)' }
const NETWORKS: Record<string, string> = {
  text_encoder: 'text encoder',
  unet: 'UNet',
  vae_decoder: 'VAE decoder',
  vae_encoder: 'VAE encoder',
}

/** 'WebGPU' when every network ran there, else 'UNet: WASM (CPU), text encoder: WebGPU'. */
export function providerSummary(info: RunInfo): string {
  const kinds = new Set(info.providers.map((p) => p.provider))
  if (kinds.size === 1) {
    const [only] = kinds
    return NAMES[only] ?? only
  }
  return info.providers
    .map((p) => `${NETWORKS[p.network] ?? p.network}: ${NAMES[p.provider] ?? p.provider}`)
    .join(', ')
}

/**
 * Messages of finished runs by the node's content key, so that a result later taken from the
 * memory cache still says where it was computed (after a reload it is simply "from the cache").
 */
const byKey = new Map<string, string>()

export function rememberRunMessage(key: string | undefined, message: string | undefined): void {
  if (!key || !parseRunMessage(message)) return
  byKey.set(key, message ?? '')
  if (byKey.size > 200) byKey.delete(byKey.keys().next().value ?? '')
}

export function recallRunMessage(key: string | undefined): string | undefined {
  return key ? byKey.get(key) : undefined
}
