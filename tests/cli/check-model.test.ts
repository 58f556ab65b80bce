import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { render } from '../../src/cli/render'

const TINY = fileURLToPath(new URL('../../models/tiny/', import.meta.url))

function capture() {
  const out: string[] = []
  const err: string[] = []
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err }
}

/** The tiny model with one variant's files laid over it, as a folder of its own. */
function variantFolder(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `synesthete-check-${name}-`))
  cpSync(TINY, dir, { recursive: true })
  rmSync(join(dir, 'variants'), { recursive: true })
  cpSync(join(TINY, 'variants', name), dir, { recursive: true })
  return dir
}

describe('npm run render -- --check-model DIR', () => {
  it('lists each part as the loader reads it and paints one tiny step, for the tiny model', async () => {
    const { io, out } = capture()
    expect(await render(['--check-model', TINY, '--ort', 'web'], io)).toBe(0)
    const text = out.join('\n')
    expect(text).toContain('inputs:  input_ids int32[batch, sequence]')
    expect(text).toContain('✓ text_encoder/model.onnx as the loader reads it: idsType int32')
    expect(text).toMatch(
      /✓ unet\/model\.onnx as the loader reads it: .*timestepType float32, timestepRank 1/,
    )
    expect(text).toContain(
      '✓ vae_encoder/model.onnx as the loader reads it: inputType float32, output latent_sample, returns sample',
    )
    expect(text).toMatch(/✓ one text-to-image step at 64×64 \(euler\)/)
    expect(text).toMatch(/✓ one image-to-image step at 64×64/)
    expect(out.at(-1)).toBe('Usable.')
  })

  it('reads each export variation: a scalar timestep, int64 ids, latent parameters', async () => {
    for (const [variant, expected] of [
      ['timestep-scalar', /unet\/model\.onnx as the loader reads it: .*timestepRank 0/],
      ['ids-int64', /text_encoder\/model\.onnx as the loader reads it: idsType int64/],
      [
        'latent-parameters',
        /vae_encoder\/model\.onnx as the loader reads it: .*returns parameters/,
      ],
    ] as const) {
      const folder = variantFolder(variant)
      const { io, out } = capture()
      expect(await render(['--check-model', folder], io), out.join('\n')).toBe(0)
      expect(out.join('\n')).toMatch(expected)
      rmSync(folder, { recursive: true })
    }
  })

  it('names the part that does not fit and what the loader expected (exit 1)', async () => {
    const folder = variantFolder('bad-input-name')
    const { io, out } = capture()
    expect(await render(['--check-model', folder], io)).toBe(1)
    const text = out.join('\n')
    expect(text).toContain('inputs:  latent float32[batch, 4, height, width]')
    expect(text).toMatch(
      /✗ unet\/model\.onnx: expected an input "sample" \(float32 or float16, rank 4/,
    )
    expect(text).not.toMatch(/one text-to-image step/)
    expect(out.at(-1)).toMatch(/^Not usable/)
    rmSync(folder, { recursive: true })
  })

  it('refuses a folder that is not there (exit 2)', async () => {
    const { io, err } = capture()
    expect(await render(['--check-model', join(tmpdir(), 'no-such-model-folder')], io)).toBe(2)
    expect(err.join('\n')).toMatch(/no-such-model-folder is not a folder/)
  })
})
