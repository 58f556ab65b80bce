import { urlSource, type ModelSource } from './source'

/**
 * The bundled tiny model (models/tiny, written by models/tiny/generate.py). Each file is named
 * with a literal `new URL(…, import.meta.url)`: Vite copies it into the build as an asset and
 * gives its served URL (small JSON files become data: URLs), while in Node (tests, CLI) the URL
 * is a file: URL read from disk. So the same code finds the files in both, with nothing to copy
 * into public/ and nothing fetched from outside.
 */
const TINY_FILES: Record<string, URL> = {
  'model_index.json': new URL('../../models/tiny/model_index.json', import.meta.url),
  'scheduler/scheduler_config.json': new URL(
    '../../models/tiny/scheduler/scheduler_config.json',
    import.meta.url,
  ),
  'text_encoder/model.onnx': new URL('../../models/tiny/text_encoder/model.onnx', import.meta.url),
  'tokenizer/merges.txt': new URL('../../models/tiny/tokenizer/merges.txt', import.meta.url),
  'tokenizer/special_tokens_map.json': new URL(
    '../../models/tiny/tokenizer/special_tokens_map.json',
    import.meta.url,
  ),
  'tokenizer/tokenizer_config.json': new URL(
    '../../models/tiny/tokenizer/tokenizer_config.json',
    import.meta.url,
  ),
  'tokenizer/vocab.json': new URL('../../models/tiny/tokenizer/vocab.json', import.meta.url),
  'unet/config.json': new URL('../../models/tiny/unet/config.json', import.meta.url),
  'unet/model.onnx': new URL('../../models/tiny/unet/model.onnx', import.meta.url),
  'unet/weights.pb': new URL('../../models/tiny/unet/weights.pb', import.meta.url),
  'vae_decoder/config.json': new URL('../../models/tiny/vae_decoder/config.json', import.meta.url),
  'vae_decoder/model.onnx': new URL('../../models/tiny/vae_decoder/model.onnx', import.meta.url),
  'vae_encoder/config.json': new URL('../../models/tiny/vae_encoder/config.json', import.meta.url),
  'vae_encoder/model.onnx': new URL('../../models/tiny/vae_encoder/model.onnx', import.meta.url),
}

export const TINY_MODEL_ID = 'tiny'

/** Whether a model_index.json is the tiny model's (generate.py marks it with a note). */
export function isTinyModelIndex(index: unknown): boolean {
  return typeof index === 'object' && index !== null && '_synesthete_note' in index
}

/** The paths the tiny model provides (a test keeps this list equal to models/tiny). */
export const TINY_MODEL_PATHS: readonly string[] = Object.keys(TINY_FILES)

export function tinyModelSource(): ModelSource {
  return urlSource(TINY_MODEL_ID, 'the tiny test model', (path) => TINY_FILES[path])
}

/** Said wherever the tiny model runs: it is random, so its pictures mean nothing. */
export const TINY_MODEL_WARNING =
  'This is the tiny random test model: its output is noise until a real model is loaded.'
