import { describe, expect, it } from 'vitest'
import type { ModelSession } from '../../src/diffusion/backend'
import { Unet } from '../../src/diffusion/components'
import type { UnetPlan } from '../../src/diffusion/signatures'
import { toFloat32, type Tensor } from '../../src/diffusion/tensor'

/** A UNet session that returns its sample + the item index, and records what it was fed. */
function fakeSession(feedsSeen: Record<string, Tensor>[]): ModelSession {
  return {
    inputs: [],
    outputs: [],
    provider: 'fake',
    providerNote: 'fake',
    run(feeds) {
      feedsSeen.push(feeds)
      const sample = toFloat32(feeds.sample)
      const per = sample.length / feeds.sample.dims[0]
      const data = sample.map((v, k) => v + Math.floor(k / per))
      return Promise.resolve({ out_sample: { type: 'float32', dims: feeds.sample.dims, data } })
    },
    release: () => Promise.resolve(),
  }
}

const plan = (over: Partial<UnetPlan>): UnetPlan => ({
  sample: 'sample',
  sampleType: 'float32',
  timestepType: 'float32',
  timestepRank: 1,
  hiddenType: 'float32',
  output: 'out_sample',
  ...over,
})

const input = (batch: number) => ({
  sample: Float32Array.from({ length: batch * 4 }, (_, i) => i),
  dims: [batch, 1, 2, 2],
  timestep: 946.5,
  hidden: new Float32Array(batch * 3),
  hiddenDims: [batch, 3, 1],
})

describe('UNet feeding', () => {
  it('feeds the timestep in the declared type and rank', async () => {
    const seen: Record<string, Tensor>[] = []
    await new Unet(fakeSession(seen), plan({ timestepType: 'int64' })).predict(input(2))
    expect(seen[0].timestep).toEqual({
      type: 'int64',
      dims: [2],
      data: new BigInt64Array([946n, 946n]),
    })
    await new Unet(fakeSession(seen), plan({ timestepRank: 0 })).predict(input(2))
    expect(seen[1].timestep.dims).toEqual([])
    await new Unet(
      fakeSession(seen),
      plan({ timestepType: 'float16', sampleType: 'float16' }),
    ).predict(input(1))
    expect(seen[2].timestep.type).toBe('float16')
    expect(seen[2].sample.data).toBeInstanceOf(Uint16Array)
  })

  it('splits a batch for batch-1 exports and doubles a single item for batch-2 exports', async () => {
    const seen: Record<string, Tensor>[] = []
    const one = await new Unet(fakeSession(seen), plan({ fixedBatch: 1 })).predict(input(2))
    expect(seen.map((f) => f.sample.dims[0])).toEqual([1, 1])
    expect([...one]).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    seen.length = 0
    const two = await new Unet(fakeSession(seen), plan({ fixedBatch: 2 })).predict(input(1))
    expect(seen.map((f) => f.sample.dims[0])).toEqual([2])
    expect([...two]).toEqual([0, 1, 2, 3])
  })
})
