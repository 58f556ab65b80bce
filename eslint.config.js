// @ts-check
import tseslint from 'typescript-eslint'

import layers from './eslint/layers.js'

/** UI libraries: only the editor draws. */
const ui = ['react', 'react-dom', 'rete', 'rete-*', 'styled-components']

/**
 * One block per layer, as each folder's README states it. `layers/imports` checks relative
 * imports on their resolved paths and packages by name (eslint/layers.js).
 * @param {string[]} files
 * @param {import('./eslint/layers.js').LayerOptions} options
 */
const layer = (files, options) => ({
  files,
  plugins: { layers },
  rules: { 'layers/imports': ['error', options] },
})

const diffusion = {
  layer: 'src/diffusion',
  mayImport: ['src/engine', 'src/dsp', 'models'],
  forbiddenPackages: [...ui, 'idb-keyval', 'onnxruntime-web'],
  why: 'Stable Diffusion over onnxruntime: onnxruntime-web only in ort.ts, idb-keyval only in browser/.',
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'out/**',
      'test-results/**',
      'coverage/**',
      '.nodes-copy-*/**',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  layer(['src/dsp/**'], {
    layer: 'src/dsp',
    packages: ['fft.js', '@echogarden/pffft-wasm'],
    why: 'src/dsp is pure DSP over typed arrays.',
  }),
  layer(['src/engine/**'], {
    layer: 'src/engine',
    packages: ['zod'],
    why: 'the engine runs alike in Node, workers and the browser, and knows node kinds only through a registry.',
  }),
  layer(['src/media/**'], {
    layer: 'src/media',
    mayImport: ['src/engine', 'src/dsp'],
    forbiddenPackages: [...ui, 'node:*', 'idb-keyval', 'onnxruntime-*'],
    why: 'file formats run alike in Node, workers and the browser (Node built-ins belong in src/cli).',
  }),
  layer(['nodes/**'], {
    layer: 'nodes',
    mayImport: ['src/engine', 'src/dsp', 'src/media', 'src/diffusion'],
    forbiddenPackages: [...ui, 'node:*', 'idb-keyval', 'onnxruntime-*'],
    why: 'a node definition runs in workers and in Node alike (UI belongs in src/editor, Node built-ins in src/cli).',
  }),
  layer(['src/diffusion/**'], diffusion),
  layer(['src/diffusion/ort.ts'], {
    ...diffusion,
    forbiddenPackages: [...ui, 'idb-keyval'],
  }),
  layer(['src/diffusion/browser/**'], {
    ...diffusion,
    forbiddenPackages: [...ui, 'onnxruntime-web'],
  }),
  layer(['src/runtime/**'], {
    layer: 'src/runtime',
    mayImport: ['src/engine', 'nodes', 'src/media', 'src/diffusion'],
    forbiddenPackages: [...ui, 'node:*', 'onnxruntime-*'],
    why: 'the browser runtime runs node jobs in workers; it never reaches the editor or the CLI.',
  }),
  layer(['src/cli/**'], {
    layer: 'src/cli',
    mayImport: [
      'src/engine',
      'src/dsp',
      'src/media',
      'nodes',
      'src/diffusion',
      'src/runtime',
      'presets',
      'models',
    ],
    forbiddenPackages: [...ui, 'idb-keyval'],
    why: 'the headless runner uses everything below the UI.',
  }),
  layer(['src/editor/**'], {
    layer: 'src/editor',
    mayImport: [
      'src/engine',
      'src/runtime',
      'src/media',
      'nodes',
      'src/diffusion',
      'presets',
      'public',
    ],
    forbiddenPackages: ['node:*', 'onnxruntime-*', 'fft.js', '@echogarden/*'],
    why: 'the editor draws and edits; computing (DSP, inference) happens in workers through src/runtime.',
  }),
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
)
