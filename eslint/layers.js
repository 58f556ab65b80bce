// @ts-check
/**
 * The layer rule: what a folder may import, checked on the resolved path of every relative
 * import (so `../engine`, `../../src/engine/values` and `./x/../../engine` are all the engine)
 * and on the package name of every bare one. Each folder's README states its rule; the blocks
 * in eslint.config.js say the same thing in code, one block per layer.
 */
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')

/**
 * @typedef {object} LayerOptions
 * @property {string} layer The layer's folder, relative to the repository root ('src/dsp').
 * @property {string[]} [mayImport] Our folders or files it may import besides its own.
 * @property {string[]} [packages] When given, the only packages it may import.
 * @property {string[]} [forbiddenPackages] Packages (a trailing '*' matches a prefix) it may not.
 * @property {string} why One line a reader of the error needs: what the layer is.
 */

/** Package name of a bare specifier: 'react-dom/client' → 'react-dom', '@a/b/c' → '@a/b'. */
function packageOf(/** @type {string} */ specifier) {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

function matches(/** @type {string} */ name, /** @type {string} */ pattern) {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern
}

/** Whether `target` (repository-relative) is `folder` or lies inside it. */
function within(/** @type {string} */ target, /** @type {string} */ folder) {
  return (
    target === folder || target.startsWith(`${folder}/`) || stripExt(target) === stripExt(folder)
  )
}

function stripExt(/** @type {string} */ p) {
  return p.replace(/\.(ts|tsx|js|mjs)$/, '')
}

/** @type {import('eslint').Rule.RuleModule} */
const imports = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps each folder to the imports its README allows.' },
    schema: [
      {
        type: 'object',
        properties: {
          layer: { type: 'string' },
          mayImport: { type: 'array', items: { type: 'string' } },
          packages: { type: 'array', items: { type: 'string' } },
          forbiddenPackages: { type: 'array', items: { type: 'string' } },
          why: { type: 'string' },
        },
        required: ['layer', 'why'],
        additionalProperties: false,
      },
    ],
    messages: {
      folder: '{{layer}} may not import {{target}}: {{why}} It may import {{allowed}}.',
      package: "{{layer}} may not import the package '{{name}}': {{why}}",
    },
  },
  create(context) {
    const options = /** @type {LayerOptions} */ (context.options[0])
    const own = options.layer
    const allowed = [own, ...(options.mayImport ?? [])]
    const file = context.filename
    /** @param {import('estree').Node} node @param {string} specifier */
    const check = (node, specifier) => {
      if (specifier.startsWith('.')) {
        const target = path.relative(root, path.resolve(path.dirname(file), specifier))
        if (target.startsWith('..')) return
        if (allowed.some((folder) => within(target, folder))) return
        context.report({
          node,
          messageId: 'folder',
          data: {
            layer: own,
            target,
            why: options.why,
            allowed: allowed.length > 1 ? allowed.slice(1).join(', ') : 'nothing of ours',
          },
        })
        return
      }
      const name = specifier.startsWith('node:') ? specifier : packageOf(specifier)
      const refused =
        (options.packages && !options.packages.some((p) => matches(name, p))) ||
        (options.forbiddenPackages ?? []).some((p) => matches(name, p))
      if (refused)
        context.report({ node, messageId: 'package', data: { layer: own, name, why: options.why } })
    }
    /** @param {any} node */
    const fromSource = (node) => {
      if (node.source && typeof node.source.value === 'string') check(node, node.source.value)
    }
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression(node) {
        if (node.source.type === 'Literal' && typeof node.source.value === 'string')
          check(node, node.source.value)
      },
      // Assets named with `new URL('…', import.meta.url)` are imports as far as layers go
      // (a folder's URL, ending in '/', names a place, not a module).
      NewExpression(node) {
        const [first, second] = node.arguments
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'URL' &&
          first?.type === 'Literal' &&
          typeof first.value === 'string' &&
          first.value.startsWith('.') &&
          !first.value.endsWith('/') &&
          second?.type === 'MemberExpression' &&
          second.object.type === 'MetaProperty'
        )
          check(node, first.value)
      },
    }
  },
}

export default { rules: { imports } }
