import { fileURLToPath } from 'node:url'
import type { InferenceBackend, ModelSession } from '../../src/diffusion/backend'
import { createOrtBackend } from '../../src/diffusion/ort'
import { folderSource, overlaySource, type ModelSource } from '../../src/diffusion/source'
import { tinyModelSource } from '../../src/diffusion/tiny-model'
import type { Tensor } from '../../src/diffusion/tensor'
import type { ImageValue } from '../../src/engine/values'

/** One onnxruntime-web (WASM) backend for the whole test file: sessions are created once. */
export const backend = createOrtBackend()

export const TINY_FOLDER = fileURLToPath(new URL('../../models/tiny/', import.meta.url))

/** The tiny model with one variant's files over it (models/tiny/variants/NAME). */
export function variantSource(name: string): ModelSource {
  return overlaySource(
    tinyModelSource(),
    folderSource(`${TINY_FOLDER}variants/${name}`),
    `tiny-variant-${name}`,
  )
}

/** A source with the same files as another and a different identity (a second model slot). */
export function renamed(source: ModelSource, id: string): ModelSource {
  return { ...source, id, label: id }
}

export interface UnetCall {
  tag: string
  feeds: Record<string, Tensor>
}

/**
 * A backend over the real one that records every UNet run (tagged, so two models can be told
 * apart) and can replace the UNet's arithmetic while keeping its real metadata.
 */
export function spyBackend(
  tag: string,
  calls: UnetCall[],
  replaceUnet?: (feeds: Record<string, Tensor>) => Record<string, Tensor>,
): InferenceBackend {
  const inner = createOrtBackend()
  return {
    name: `spy ${tag}`,
    async createSession(request) {
      const session = await inner.createSession(request)
      if (!request.name.startsWith('unet/')) return session
      const spied: ModelSession = {
        ...session,
        inputs: session.inputs,
        outputs: session.outputs,
        async run(feeds) {
          calls.push({ tag, feeds })
          return replaceUnet ? replaceUnet(feeds) : session.run(feeds)
        },
      }
      return spied
    },
  }
}

/** A smooth test picture with some detail: gradients and a checker in three channels. */
export function testImage(width: number, height: number, channels = 3): ImageValue {
  const planes = Array.from({ length: channels }, (_, c) => {
    const p = new Float32Array(width * height)
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const checker = ((x >> 3) + (y >> 3)) % 2
        p[y * width + x] = (0.2 + 0.5 * (c === 0 ? x / width : y / height) + 0.2 * checker) % 1
      }
    }
    return p
  })
  return { kind: 'image', width, height, channels: planes }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]))
  return max
}

export function imagesDiff(a: ImageValue, b: ImageValue): number {
  return Math.max(...a.channels.map((c, i) => maxAbsDiff(c, b.channels[i])))
}
