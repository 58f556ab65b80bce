// @ts-check
import tseslint from 'typescript-eslint'

/** Layer boundaries (see README.md of each folder): pure code never reaches up. */
const pureLayers = ['src/dsp/**', 'src/engine/**', 'nodes/**', 'src/media/**']

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'test-results/**', 'coverage/**'] },
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
  {
    files: pureLayers,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['react', 'react-dom', 'rete', 'rete-*', 'styled-components'],
              message: 'Pure layers must not import UI code.',
            },
            {
              group: ['**/editor/**', '**/cli/**'],
              message: 'Pure layers must not import the editor or the CLI.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/dsp/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/engine/**',
                '**/nodes/**',
                '**/editor/**',
                '**/cli/**',
                '**/diffusion/**',
                'react',
                'rete',
                'rete-*',
              ],
              message: 'src/dsp imports nothing of ours: it is pure typed-array DSP.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
)
