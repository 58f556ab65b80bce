/**
 * The last word of a diffusion node's run, which says where each network ran:
 *
 *   ran on text_encoder: webgpu, unet: webgpu, vae_decoder: webgpu (4 steps, euler) — <tiny warning>
 *
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
  tiny: boolean
}

/**
 * `providers` as a model's `providers()` gives them ('text_encoder: wasm, unet: wasm'; two model
 * slots joined by ' | '). Without any (every frame reused), just the detail.
 */
export function runMessage(providers: string, detail: string, tinyWarning?: string): string {
  const tiny = tinyWarning ? ` — ${tinyWarning}` : ''
  return providers.trim() ? `ran on ${providers} (${detail})${tiny}` : `${detail}${tiny}`
}

export function parseRunMessage(message: string | undefined): RunInfo | undefined {
  const match = /^ran on (.+?)(?: \(([^)]*)\))?(?: — (.*))?$/.exec(message ?? '')
  if (!match) return undefined
  const providers = match[1]
    .split(/[,|]/) // two model slots are joined by ' | '
    .map((part) => part.trim().split(/:\s*/))
    .filter((pair) => pair.length === 2)
    .map(([network, provider]) => ({ network, provider }))
  return { providers, detail: match[2], tiny: /tiny/i.test(match[3] ?? '') }
}

/** The distinct providers of a run, 'cpu (onnxruntime-node)' or 'webgpu, wasm'. */
export function providersOfRun(info: RunInfo): string {
  return [...new Set(info.providers.map((p) => p.provider))].join(', ')
}
