import type { RunContext } from '../engine/define-node'
import { text } from '../engine/params'
import { loadModel, type DiffusionModel } from './model'
import { resolveModelSource } from './resolve'
import type { LoadProgress } from './sessions'
import { sharedBackend } from './shared-backend'

/**
 * How a diffusion node opens the model its param names: "tiny", a known id, an https:// URL,
 * folder:NAME or (on the command line) a folder path, loaded on the backend every diffusion
 * node in this worker or process shares, so its sessions are made once.
 */
export async function openModel(ref: string, progress?: LoadProgress): Promise<DiffusionModel> {
  return loadModel(await resolveModelSource(ref), sharedBackend(), progress)
}

/** The Model param of the nodes that use only a model's VAE (Encode Image, Decode Latent). */
export const vaeModelParam = (description: string) =>
  text('tiny', { label: 'Model', widget: 'model', description })

/**
 * What the VAE nodes do before their work: open the model, let `check` refuse an input the
 * model cannot take (before anything more is fetched; what it returns comes back as `checked`),
 * then load, perhaps download, the VAE part they use, and stop there if they were cancelled
 * meanwhile: the load is the long wait. `say` reports progress in words, for the work too.
 */
export async function openVae<T>(
  ref: string,
  part: 'encoder' | 'decoder',
  ctx: Pick<RunContext, 'progress' | 'signal'>,
  check: (model: DiffusionModel) => T,
): Promise<{ model: DiffusionModel; say: LoadProgress; checked: T }> {
  const say: LoadProgress = (message) => ctx.progress(0, message)
  const model = await openModel(ref, say)
  const checked = check(model)
  await (part === 'encoder' ? model.vaeEncoder(say) : model.vaeDecoder(say))
  ctx.signal.throwIfAborted()
  return { model, say, checked }
}
