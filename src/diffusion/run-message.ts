/**
 * The last word of a diffusion node's run, which says where each network ran:
 *
 *   ran on text_encoder: wasm, unet: wasm, vae_decoder: wasm (4 steps, euler) · why: <reason> — <tiny warning>
 *
 * (the reason only when the UNet did not simply run on WebGPU).
 * Made by the nodes (nodes/stable-diffusion*.ts, nodes/repaint-long.ts) and read back by the
 * editor's node footer and the CLI's `--report`, so the provider travels with the result itself.
 */

export interface NetworkProvider {
  network: string
  provider: string
}

export interface RunInfo {
  providers: NetworkProvider[]
  /** '4 steps, euler' */
  detail?: string
  /** Why the UNet ran where it did, e.g. 'WebGPU here is SwiftShader, a software renderer: …'. */
  why?: string
  tiny: boolean
}

/**
 * `providers` as a model's `providers()` gives them ('text_encoder: wasm, unet: wasm'; two model
 * slots joined by ' | '). Without any (every frame reused), just the detail.
 */
export function runMessage(
  providers: string,
  detail: string,
  tinyWarning?: string,
  why?: string,
): string {
  const tiny = tinyWarning ? ` — ${tinyWarning}` : ''
  const reason = why ? ` · why: ${why}` : ''
  return providers.trim() ? `ran on ${providers} (${detail})${reason}${tiny}` : `${detail}${tiny}`
}

/**
 * Why a model's UNet (most of the work) ran where it did, from its sessions' notes; undefined
 * when it simply ran on WebGPU.
 */
export function providerWhy(
  details: readonly { network: string; note: string }[],
): string | undefined {
  const note = details.find((d) => d.network === 'unet')?.note
  return note && note !== 'WebGPU' ? note : undefined
}

export function parseRunMessage(message: string | undefined): RunInfo | undefined {
  const match = /^ran on (.+?)(?: \(([^)]*)\))?(?: · why: (.+?))?(?: — (.*))?$/.exec(message ?? '')
  if (!match) return undefined
  const providers = match[1]
    .split(/[,|]/) // two model slots are joined by ' | '
    .map((part) => part.trim().split(/:\s*/))
    .filter((pair) => pair.length === 2)
    .map(([network, provider]) => ({ network, provider }))
  return { providers, detail: match[2], why: match[3], tiny: /tiny/i.test(match[4] ?? '') }
}

/** The distinct providers of a run, 'cpu (onnxruntime-node)' or 'webgpu, wasm'. */
export function providersOfRun(info: RunInfo): string {
  return [...new Set(info.providers.map((p) => p.provider))].join(', ')
}
