import type { ProviderRun, RunReport } from '../engine/define-node'
import type { DiffusionModel } from './model'

/**
 * What a diffusion node reports about its run (`ctx.report`): where each network of each model
 * it used ran, why the UNet ran there when not simply on WebGPU, and whether the tiny test model
 * made it; `more` adds the node's own figures (steps, scheduler, size, work). The editor's node
 * footer and status bar and the CLI's `--report` read these fields as they are.
 */
export function modelRunReport(models: readonly DiffusionModel[], more: RunReport = {}): RunReport {
  const distinct = [...new Set(models)]
  const providers: ProviderRun[] = distinct.flatMap((model) =>
    model.providerDetails().map(({ network, provider, note }) => ({
      network,
      provider,
      ...(note && { note }),
    })),
  )
  const why = distinct[0] && providerWhy(distinct[0].providerDetails())
  return {
    ...(providers.length > 0 && { providers }),
    ...(why && { providerWhy: why }),
    ...(distinct.some((m) => m.isTiny) && { tinyModel: true }),
    ...more,
  }
}

/**
 * Why a model's UNet (most of the work) ran where it did, from its sessions' notes; undefined
 * when it simply ran on WebGPU.
 */
function providerWhy(details: readonly { network: string; note: string }[]): string | undefined {
  const note = details.find((d) => d.network === 'unet')?.note
  return note && note !== 'WebGPU' ? note : undefined
}

/** The distinct providers of a run, 'cpu (onnxruntime-node)' or 'webgpu, wasm'; '' for none. */
export function providersOfRun(report: RunReport | undefined): string {
  return [...new Set((report?.providers ?? []).map((p) => p.provider))].join(', ')
}

/**
 * The network that did most of a run's work and where it ran: the UNet where there is one,
 * else the last network (a VAE alone). What the status bar shows as "last ran on".
 */
export function mainProvider(report: RunReport | undefined): ProviderRun | undefined {
  const providers = report?.providers ?? []
  return providers.find((p) => p.network === 'unet') ?? providers.at(-1)
}
