import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { loadModel } from '../../src/diffusion/model'
import { createOrtNodeBackend } from '../../src/diffusion/node/ort-node'
import { createOrtBackend } from '../../src/diffusion/ort'
import { generate } from '../../src/diffusion/pipeline'
import { tinyModelSource } from '../../src/diffusion/tiny-model'
import type { InferenceBackend } from '../../src/diffusion/backend'
import { imagesDiff, testImage } from './helpers'

/**
 * onnxruntime-node (the CLI's native backend) and onnxruntime-web (WASM) run the same tiny model
 * through the same pipeline: the pictures agree within 1e-3 (float32 kernels differ only in
 * summation order and vectorisation, a few ulps per op).
 */
async function paint(backend: InferenceBackend, img2img: boolean) {
  const model = await loadModel(tinyModelSource(), backend)
  const result = await generate({
    slots: [{ model, prompt: 'birds over water', negativePrompt: 'no letters', guidance: 2.5 }],
    image: img2img ? testImage(32, 32) : undefined,
    width: 32,
    height: 32,
    steps: 4,
    strength: 0.7,
    scheduler: 'euler',
    seed: 11,
  })
  return { result, providers: model.providerDetails() }
}

describe('onnxruntime-node backend', () => {
  const native = createOrtNodeBackend({ threads: 2, cuda: false })
  const web = createOrtBackend({ webgpu: false })

  it.each([false, true])(
    'paints the same pixels as WASM within 1e-3 (img2img: %s)',
    async (i2i) => {
      const [a, b] = await Promise.all([paint(native, i2i), paint(web, i2i)])
      expect(a.result.image.channels).toHaveLength(3)
      const spread = Math.max(
        ...a.result.image.channels.map((c) => Math.max(...c) - Math.min(...c)),
      )
      expect(spread).toBeGreaterThan(0.01) // a picture, not a flat field that would trivially agree
      expect(imagesDiff(a.result.image, b.result.image)).toBeLessThan(1e-3)
      expect(a.providers.map((p) => p.provider)).toEqual(
        a.providers.map(() => 'cpu (onnxruntime-node)'),
      )
      expect(a.providers[0].note).toMatch(/CUDA not requested; running on the CPU, 2 threads/)
      expect(b.providers.every((p) => p.provider === 'wasm')).toBe(true)
    },
  )
})

describe('the browser bundle', () => {
  it('never reaches onnxruntime-node: only the CLI, bench and tests import src/diffusion/node', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url))
    const offenders: string[] = []
    const walk = (dir: string) => {
      for (const name of readdirSync(join(root, dir))) {
        const path = join(dir, name)
        if (statSync(join(root, path)).isDirectory()) walk(path)
        else if (/\.tsx?$/.test(name)) {
          const text = readFileSync(join(root, path), 'utf8')
          const imports =
            /from '[^']*(onnxruntime-node|diffusion\/node\/[^']*|\.\/node\/[^']*)'/.test(text)
          const allowed = path.startsWith('src/cli/') || path.startsWith('src/diffusion/node/')
          if (imports && !allowed) offenders.push(path)
        }
      }
    }
    for (const dir of ['src', 'nodes']) walk(dir)
    expect(offenders).toEqual([])
    // The CLI reaches it only through a dynamic import, so nothing bundles it statically either.
    expect(readFileSync(join(root, 'src/cli/inference.ts'), 'utf8')).toMatch(
      /await import\('\.\.\/diffusion\/node\/ort-node'\)/,
    )
  })
})
