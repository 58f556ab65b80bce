/**
 * Bench: one tiny-model UNet step (512², CFG batch 2, as bench/diffusion.ts makes it) on
 * onnxruntime-node's CPU provider — the CLI's default — against onnxruntime-web's WASM in the
 * same run. The harness times the native step; the ratio of wall times, both measured here
 * interleaved on the same inputs, is in the reference column.
 */
import { availableParallelism } from 'node:os'
import { createOrtNodeBackend } from '../src/diffusion/node/ort-node'
import { createOrtBackend } from '../src/diffusion/ort'
import { prepareUnetStep } from './diffusion'
import type { BenchCase } from './types'

type Step = () => Promise<unknown>
let steps: Promise<{ native: Step; wasm: Step }> | undefined
let wasmSeconds = NaN
let ratio = NaN

async function bestWall(step: Step, repeats: number): Promise<number> {
  let best = Infinity
  for (let i = 0; i < repeats; i++) {
    const t = performance.now()
    await step()
    best = Math.min(best, (performance.now() - t) / 1000)
  }
  return best
}

async function prepare() {
  const native = await prepareUnetStep(512, createOrtNodeBackend({ cuda: false }))
  const wasm = await prepareUnetStep(512, createOrtBackend({ webgpu: false }))
  await native()
  await wasm()
  // Interleaved, so a neighbour's load falls on both alike.
  let nativeBest = Infinity
  for (let round = 0; round < 5; round++) {
    nativeBest = Math.min(nativeBest, await bestWall(native, 5))
    wasmSeconds = Math.min(
      Number.isNaN(wasmSeconds) ? Infinity : wasmSeconds,
      await bestWall(wasm, 5),
    )
  }
  ratio = nativeBest / wasmSeconds
  return { native, wasm }
}

export const nativeStepBench: BenchCase = {
  name: `stable diffusion: tiny model, 512², one UNet step on onnxruntime-node (${availableParallelism()} threads)`,
  repeats: 10,
  async run(): Promise<void> {
    steps ??= prepare()
    await (await steps).native()
  },
  get reference() {
    return Number.isNaN(ratio)
      ? undefined
      : { seconds: wasmSeconds, label: `WASM, same run; native ÷ WASM wall = ${ratio.toFixed(2)}` }
  },
}
