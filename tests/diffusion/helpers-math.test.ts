import { describe, expect, it } from 'vitest'
import { imageToTensor, tensorToImage } from '../../src/diffusion/image'
import { resizeF32 } from '../../src/dsp/resize'
import { guidanceEmbedding, guide, rollLatent, sampleLatent } from '../../src/diffusion/latent'
import { createGaussian, NoiseStream } from '../../src/diffusion/random'
import { fromHalfBits, fromNumbers, toFloat32, toHalfBits } from '../../src/diffusion/tensor'
import { reference } from './reference'

describe('float16 conversion', () => {
  it('encodes known values exactly', () => {
    expect(toHalfBits(1)).toBe(0x3c00)
    expect(toHalfBits(-2)).toBe(0xc000)
    expect(toHalfBits(65504)).toBe(0x7bff)
    expect(toHalfBits(1e6)).toBe(0x7c00)
    expect(toHalfBits(2 ** -24)).toBe(0x0001)
    expect(toHalfBits(1e-9)).toBe(0)
    expect(toHalfBits(NaN) & 0x7c00).toBe(0x7c00)
  })

  it('rounds to nearest, ties to even', () => {
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00)
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02)
    expect(toHalfBits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01)
  })

  it('round-trips every half value', () => {
    for (let bits = 0; bits < 0x7c00; bits += 7) expect(toHalfBits(fromHalfBits(bits))).toBe(bits)
  })

  it('casts feeds to the declared type: int64 truncates as numpy astype does', () => {
    expect(fromNumbers([946.8], [1], 'int64').data).toEqual(new BigInt64Array([946n]))
    expect(toFloat32(fromNumbers([0.5, -3], [2], 'float16'))).toEqual(new Float32Array([0.5, -3]))
  })
})

describe('seeded noise', () => {
  it('repeats per seed and stream, and differs between them', () => {
    const a = createGaussian(42).fill(1000)
    expect(createGaussian(42).fill(1000)).toEqual(a)
    expect(createGaussian(43).fill(1000)).not.toEqual(a)
    expect(createGaussian(42, NoiseStream.scheduler).fill(1000)).not.toEqual(a)
    expect(createGaussian(2 ** 40 + 42).fill(10)).not.toEqual(a.slice(0, 10))
  })

  it('is standard normal', () => {
    const x = createGaussian(1).fill(200_000)
    const mean = x.reduce((s, v) => s + v, 0) / x.length
    const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length
    expect(Math.abs(mean)).toBeLessThan(0.01)
    expect(variance).toBeCloseTo(1, 1)
    expect(x.filter((v) => Math.abs(v) > 1.96).length / x.length).toBeCloseTo(0.05, 2)
  })
})

describe('latent operations', () => {
  const dims = [1, 2, 3, 4]
  const x = Float32Array.from({ length: 24 }, (_, i) => i)

  it('rolls like torch.roll and comes back', () => {
    const r = rollLatent(x, dims, 1, 0)
    expect([...r.slice(0, 4)]).toEqual([3, 0, 1, 2])
    expect([...rollLatent(x, dims, 0, 1).slice(0, 4)]).toEqual([8, 9, 10, 11])
    expect(rollLatent(rollLatent(x, dims, 3, -2), dims, -3, 2)).toEqual(x)
    expect(rollLatent(x, dims, 4, 3)).toEqual(x)
  })

  it('guides: ε_u + g(ε_c − ε_u), and g = 1 is the conditional output', () => {
    const batch = new Float32Array([1, 2, 3, 5])
    expect(guide(batch, 2)).toEqual(new Float32Array([5, 8]))
    expect(guide(batch, 1)).toEqual(new Float32Array([3, 5]))
  })

  it("embeds LCM's guidance as sines and cosines of 1000·w", () => {
    const e = guidanceEmbedding(7, 4)
    expect(e[0]).toBeCloseTo(Math.sin(7000), 5)
    expect(e[1]).toBeCloseTo(Math.sin(7000 * 1e-4), 5)
    expect(e[3]).toBeCloseTo(Math.cos(7000 * 1e-4), 5)
  })

  it("embeds guidance as diffusers' get_guidance_scale_embedding, odd widths zero-padded", () => {
    // The reference is the formula in float64, as ours; torch's float32 numbers differ from both
    // by up to ~1000·w·2⁻²⁴ (4e-4 at guidance 8), which a wrong w, base or order far exceeds.
    for (const { guidanceScale, dim, values } of reference.guidanceEmbeddings) {
      const ours = guidanceEmbedding(guidanceScale - 1, dim)
      expect(ours).toHaveLength(dim)
      const worst = Math.max(...Array.from(ours, (v, i) => Math.abs(v - values[i])))
      expect(worst, `guidance ${guidanceScale}, dim ${dim}`).toBeLessThan(1e-6)
    }
    expect(guidanceEmbedding(3, 9)[8]).toBe(0)
  })

  it('samples the VAE distribution with a clamped log-variance', () => {
    const z = sampleLatent(
      new Float32Array([1, 1]),
      new Float32Array([0, 100]),
      new Float32Array([2, 1]),
    )
    expect(z[0]).toBeCloseTo(3)
    expect(z[1]).toBeCloseTo(1 + Math.exp(10))
  })
})

describe('images for the VAE', () => {
  it("resizes as diffusers' VaeImageProcessor: Pillow's LANCZOS (400 × 300 → 400 × 296)", () => {
    // The notebook's picture is 400 × 300; diffusers rounds it down to 400 × 296 and resizes
    // with PIL LANCZOS, whose every tap tests/dsp/resize.test.ts checks against Pillow.
    const plane = Float32Array.from({ length: 400 * 300 }, (_, i) => (Math.sin(i * 0.37) + 1) / 2)
    const image = { kind: 'image' as const, width: 400, height: 300, channels: [plane] }
    const tensor = imageToTensor(image, 400, 296)
    const lanczos = resizeF32(plane, 400, 300, 400, 296, 'lanczos')
    for (let k = 0; k < lanczos.length; k += 97)
      expect(tensor[k]).toBeCloseTo(lanczos[k] * 2 - 1, 6)
    // Constants stay constant.
    const flat = { ...image, channels: [new Float32Array(400 * 300).fill(0.3)] }
    imageToTensor(flat, 64, 48).forEach((v) => expect(v).toBeCloseTo(-0.4, 5))
  })

  it('maps 0..1 to −1..1 and back, grey repeated to RGB', () => {
    const grey = {
      kind: 'image' as const,
      width: 2,
      height: 1,
      channels: [new Float32Array([0, 1])],
    }
    const t = imageToTensor(grey, 2, 1)
    expect([...t]).toEqual([-1, 1, -1, 1, -1, 1])
    const back = tensorToImage(new Float32Array([-1, 3, 0, 0, NaN, 1]), [1, 3, 1, 2])
    expect(back.channels.map((c) => [...c])).toEqual([
      [0, 1],
      [0.5, 0.5],
      [0, 1],
    ])
  })
})
