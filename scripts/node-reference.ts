import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { format } from 'prettier'
import { allNodes } from '../nodes'
import { kindOfInput, isOptionalInput, type AnyNodeDefinition } from '../src/engine/define-node'
import type { ParamSpec } from '../src/engine/params'

/**
 * The README's node reference, generated from the definitions so it cannot drift.
 * `npx tsx scripts/node-reference.ts` rewrites the section between the markers; a test
 * fails when the README is out of date.
 */

export const BEGIN = '<!-- node-reference:begin -->'
export const END = '<!-- node-reference:end -->'

function describeParam(name: string, spec: ParamSpec): string {
  const range =
    'min' in spec && (spec.min !== undefined || spec.max !== undefined)
      ? ` (${spec.min ?? '…'}–${spec.max ?? '…'})`
      : spec.type === 'choice'
        ? ` (${spec.options.join(' \\| ')})`
        : ''
  const unit = spec.unit ? ` ${spec.unit}` : ''
  const value =
    spec.type === 'text' || spec.type === 'file'
      ? JSON.stringify(spec.default)
      : String(spec.default)
  return `\`${name}\` = ${value.replaceAll('|', '\\|')}${unit}${range}`
}

function nodeSection(def: AnyNodeDefinition): string {
  const ports = (specs: Record<string, string>) =>
    Object.entries(specs)
      .map(([n, k]) => `\`${n}\`: ${k}`)
      .join(', ') || '—'
  const inputs = Object.fromEntries(
    Object.entries(def.inputs).map(([n, s]) => [
      n,
      `${kindOfInput(s)}${isOptionalInput(s) ? ' (optional)' : ''}`,
    ]),
  )
  const params = Object.entries(def.params).map(
    ([n, s]) => `  - ${describeParam(n, s)}: ${s.description ?? ''}`,
  )
  return [
    `### ${def.title} — \`${def.type}\``,
    '',
    `${def.description} *(${def.category}, runs on ${def.runtime === 'gpu' ? 'the GPU worker' : 'a CPU worker'})*`,
    '',
    `- Inputs: ${ports(inputs)}`,
    `- Outputs: ${ports(def.outputs)}`,
    ...(params.length > 0 ? ['- Params:', ...params] : []),
    '',
  ].join('\n')
}

export function nodeReference(): string {
  const categories = [...new Set(allNodes.map((d) => d.category))]
  return categories
    .map((c) =>
      [`#### ${c}`, '', ...allNodes.filter((d) => d.category === c).map(nodeSection)].join('\n'),
    )
    .join('\n')
}

/** The README with its reference section regenerated, formatted as Prettier would. */
export async function withReference(readme: string): Promise<string> {
  const start = readme.indexOf(BEGIN)
  const end = readme.indexOf(END)
  if (start < 0 || end < start) throw new Error('README.md lacks the node-reference markers')
  const text = `${readme.slice(0, start + BEGIN.length)}\n\n${nodeReference()}\n${readme.slice(end)}`
  return format(text, { parser: 'markdown', proseWrap: 'preserve' })
}

export const README_PATH = fileURLToPath(new URL('../README.md', import.meta.url))

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(README_PATH, await withReference(readFileSync(README_PATH, 'utf8')))
  console.log('README.md node reference updated')
}
