import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { README_PATH, withReference } from '../../scripts/node-reference'

it('keeps the README node reference in step with the node definitions', async () => {
  const readme = readFileSync(README_PATH, 'utf8')
  const expected = await withReference(readme)
  expect(readme === expected, 'Run `npx tsx scripts/node-reference.ts` to update README.md').toBe(
    true,
  )
})
