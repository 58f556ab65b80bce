import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import tseslint from 'typescript-eslint'
import { describe, expect, it } from 'vitest'

/**
 * The layer rule of every folder README, checked the way a newcomer would break it: a probe
 * file per layer that imports what the layer may not (it must fail) and one that imports what
 * it may (it must pass). The probes are linted with the project's own eslint.config.js, as
 * text at a path inside the layer; type-aware rules are off for them (they are not on disk).
 */
const root = fileURLToPath(new URL('../../', import.meta.url))
const eslint = new ESLint({
  cwd: root,
  overrideConfig: [{ files: ['**/lint-probe.ts'], ...tseslint.configs.disableTypeChecked }],
})

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${file}` })
  return result.messages.filter((m) => m.ruleId === 'layers/imports').map((m) => m.message)
}

interface Probe {
  file: string
  breaks: string[]
  keeps: string[]
}

const probes: Probe[] = [
  {
    file: 'src/dsp/lint-probe.ts',
    // A bare '../engine' slipped past the old rule; so did a package of any kind.
    breaks: [`import '../engine'`, `import '../engine/values'`, `import 'zod'`, `import 'node:fs'`],
    keeps: [`import './fft'`, `import 'fft.js'`],
  },
  {
    file: 'src/engine/lint-probe.ts',
    breaks: [
      `import '../dsp/fft'`,
      `import '../../nodes/index'`,
      `import '../runtime'`,
      `import 'onnxruntime-web'`,
    ],
    keeps: [`import './values'`, `import 'zod'`],
  },
  {
    file: 'src/media/lint-probe.ts',
    breaks: [
      `import '../editor/bootstrap'`,
      `import 'node:child_process'`,
      `import 'react'`,
      `import '../runtime/protocol'`,
    ],
    keeps: [`import '../engine/values'`, `import '../dsp/resample'`, `import 'fflate'`],
  },
  {
    file: 'nodes/lint-probe.ts',
    breaks: [
      `import '../src/runtime/index'`,
      `import '../src/editor/bootstrap'`,
      `import 'node:os'`,
    ],
    keeps: [`import '../src/engine/values'`, `import '../src/diffusion/pipeline'`],
  },
  {
    file: 'src/diffusion/lint-probe.ts',
    breaks: [
      `import '../runtime/worker-pool'`,
      `import '../runtime/gpu-status'`,
      `import 'onnxruntime-web'`,
      `import '../../nodes/index'`,
    ],
    keeps: [`import '../engine/values'`, `import './provider'`, `import './ort'`],
  },
  {
    file: 'src/runtime/lint-probe.ts',
    breaks: [`import '../editor/bootstrap'`, `import '../cli/render'`, `import 'rete'`],
    keeps: [`import '../engine/values'`, `import '../../nodes/index'`, `import 'idb-keyval'`],
  },
  {
    file: 'src/cli/lint-probe.ts',
    breaks: [`import '../editor/bootstrap'`, `import 'react-dom'`],
    keeps: [`import '../engine/values'`, `import 'node:fs'`, `import '../../nodes/index'`],
  },
  {
    file: 'src/editor/lint-probe.ts',
    breaks: [
      `import '../dsp/fft'`,
      `import '../cli/render'`,
      `import 'onnxruntime-web'`,
      `import 'node:fs'`,
    ],
    keeps: [`import '../runtime/index'`, `import 'react'`, `import '../engine/values'`],
  },
]

describe('layer rules, as the folder READMEs state them', () => {
  for (const probe of probes) {
    it(`${probe.file}: refuses what its layer may not import`, async () => {
      for (const line of probe.breaks) {
        const errors = await layerErrors(probe.file, `${line}\n`)
        expect(errors, line).toHaveLength(1)
        // The message says which layer and what it may do instead.
        expect(errors[0], line).toContain(probe.file.split('/lint-probe')[0])
      }
    })
    it(`${probe.file}: accepts what it may import`, async () => {
      expect(await layerErrors(probe.file, `${probe.keeps.join('\n')}\n`)).toEqual([])
    })
  }

  it('resolves paths: a detour through another folder is the folder it lands in', async () => {
    const errors = await layerErrors('src/dsp/lint-probe.ts', `import './x/../../engine/values'\n`)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain('src/engine/values')
  })

  // ort.ts is a real file, so it is linted with types: slow on a busy machine.
  it('onnxruntime-web is allowed in src/diffusion/ort.ts alone', { timeout: 180_000 }, async () => {
    expect(await layerErrors('src/diffusion/ort.ts', `import 'onnxruntime-web'\n`)).toEqual([])
  })
})
