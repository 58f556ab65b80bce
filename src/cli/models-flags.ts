import { readFile, stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { findManifest } from '../diffusion/manifests'
import { isTinyModelIndex } from '../diffusion/tiny-model'
import type { GraphDocument, GraphNode } from '../engine/document'
import type { NodeRegistry } from '../engine/registry'

/**
 * `--model DIR`, `--model-b DIR` and `--set NODE.model=DIR` on the command line: which nodes they
 * reach, a check of each folder before anything runs (so a wrong folder is named with its node and
 * the missing file, not found half-way through a render), and the warning for nodes that paint
 * with the tiny random model.
 */

/** The params of a diffusion node that name a model: model A, and model B where there is one. */
export const MODEL_PARAMS = ['model', 'modelB'] as const
type ModelParam = (typeof MODEL_PARAMS)[number]

/** Node kinds that paint with a Stable Diffusion model: the GPU nodes with a `model` param. */
export function isDiffusionNode(node: GraphNode, registry: NodeRegistry): boolean {
  const def = registry.get(node.type)
  return def?.runtime === 'gpu' && def.params.model !== undefined
}

/**
 * Sets `model` of every diffusion node to `model` and `modelB` of every node with a model B slot
 * to `modelB`; a bare path given by `--set NODE.model=DIR` (or `modelB`) becomes a `folder:`
 * reference. Folders are taken from `baseDir`, the folder the command ran in.
 */
export function applyModelFlags(
  graph: GraphDocument,
  flags: { model?: string; modelB?: string; sets: { node: string; param: string }[] },
  registry: NodeRegistry,
  baseDir: string,
): void {
  const folder = (path: string) => `folder:${resolve(baseDir, path)}`
  for (const node of graph.nodes) {
    if (!isDiffusionNode(node, registry)) continue
    const params = registry.get(node.type)?.params ?? {}
    if (flags.model) node.params.model = folder(flags.model)
    if (flags.modelB && params.modelB) node.params.modelB = folder(flags.modelB)
    for (const set of flags.sets) {
      if (set.node !== node.id || !(MODEL_PARAMS as readonly string[]).includes(set.param)) continue
      const value = node.params[set.param]
      if (typeof value !== 'string') continue
      const path = folderOf(value)
      if (path !== undefined && !value.trim().startsWith('folder:'))
        node.params[set.param] = folder(path)
    }
  }
}

/**
 * The folder a model reference names on the command line, or undefined for the tiny model, a
 * known model id or a URL. A bare path and `folder:PATH` are both folders in Node.
 */
export function folderOf(ref: string): string | undefined {
  const value = ref.trim()
  if (value === '' || value === 'tiny' || findManifest(value)) return undefined
  if (/^(https?|file):/i.test(value)) return undefined
  return value.startsWith('folder:') ? value.slice('folder:'.length) : value
}

/** Files every diffusion model needs (the loader refuses a folder without them). */
const REQUIRED_FILES = [
  'tokenizer/vocab.json',
  'tokenizer/merges.txt',
  'text_encoder/model.onnx',
  'unet/model.onnx',
  'vae_decoder/model.onnx',
]

/** What the model B slot means: used only where the step pattern has a B. */
function usesModelB(node: GraphNode): boolean {
  const pattern = node.params.pattern
  return typeof pattern === 'string' && /b/i.test(pattern)
}

/** Whether this node encodes a picture (img2img), so it needs the VAE encoder too. */
function encodesPictures(node: GraphNode, graph: GraphDocument): boolean {
  if (node.type === 'ml/stable-diffusion')
    return graph.edges.some((e) => e.to.node === node.id && e.to.port === 'image')
  return true
}

function title(node: GraphNode, registry: NodeRegistry): string {
  return `node "${node.id}" (${registry.get(node.type)?.title ?? node.type})`
}

async function kindOf(path: string): Promise<'file' | 'folder' | 'missing'> {
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'file'
  } catch {
    return 'missing'
  }
}

/**
 * Checks every model folder the running diffusion nodes name: it exists, is a folder, and holds
 * the files the loader reads. Throws one Error listing each problem with its node and file.
 */
export async function checkModelFolders(
  graph: GraphDocument,
  registry: NodeRegistry,
): Promise<void> {
  const problems: string[] = []
  for (const node of graph.nodes) {
    if (node.mode === 'bypass' || !isDiffusionNode(node, registry)) continue
    for (const param of MODEL_PARAMS) {
      if (param === 'modelB' && !usesModelB(node)) continue
      const value = node.params[param]
      const folder = typeof value === 'string' ? folderOf(value) : undefined
      if (!folder) continue
      const slot = param === 'model' ? 'model' : 'model B'
      const where = `${title(node, registry)}, ${slot} ${folder}`
      const kind = await kindOf(folder)
      if (kind === 'missing') {
        problems.push(`${where}: the folder does not exist.`)
        continue
      }
      if (kind === 'file') {
        problems.push(`${where}: this is a file; give the model's folder (the one holding unet/).`)
        continue
      }
      const needed = [...REQUIRED_FILES]
      if (param === 'model' && encodesPictures(node, graph)) needed.push('vae_encoder/model.onnx')
      for (const file of needed) {
        if ((await kindOf(resolve(folder, file))) !== 'file')
          problems.push(`${where}: no ${file} in it.`)
      }
    }
  }
  if (problems.length > 0)
    throw new Error(
      `A model folder is not usable:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'A diffusers ONNX model holds tokenizer/, text_encoder/, unet/, vae_decoder/ (and ' +
        'vae_encoder/ for img2img); models/README.md says how to make one.',
    )
}

/** Whether a model reference is the bundled tiny model, or a folder copy of it. */
async function isTiny(ref: string): Promise<boolean> {
  const folder = folderOf(ref)
  if (folder === undefined) return ref.trim() === '' || ref.trim() === 'tiny'
  try {
    return isTinyModelIndex(JSON.parse(await readFile(resolve(folder, 'model_index.json'), 'utf8')))
  } catch {
    return false
  }
}

/**
 * One line per running diffusion node that paints with the tiny random model (model A, or
 * model B where the step pattern uses it), saying how to give a real one.
 */
export async function tinyModelWarnings(
  graph: GraphDocument,
  registry: NodeRegistry,
): Promise<string[]> {
  const lines: string[] = []
  for (const node of graph.nodes) {
    if (node.mode === 'bypass' || !isDiffusionNode(node, registry)) continue
    const slots: ModelParam[] = ['model']
    const b = node.params.modelB
    if (usesModelB(node) && typeof b === 'string' && b.trim() !== '') slots.push('modelB')
    const tiny: string[] = []
    for (const param of slots) {
      const value = node.params[param]
      if (await isTiny(typeof value === 'string' ? value : ''))
        tiny.push(param === 'model' ? 'model' : 'model B')
    }
    if (tiny.length === 0) continue
    const flag = tiny.includes('model') ? '--model DIR' : '--model-b DIR'
    lines.push(
      `${title(node, registry)} paints with the tiny random test model (${tiny.join(', ')}): ` +
        `its pictures are noise. Give a real model with ${flag} or --set ${node.id}.${
          tiny.includes('model') ? 'model' : 'modelB'
        }=DIR.`,
    )
  }
  return lines
}
