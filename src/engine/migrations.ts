import { GRAPH_VERSION } from './document'
import type { Problem } from './validate'

/** Turns a document of version `from` into version `from + 1`, saying what changed. */
export interface Migration {
  from: number
  note: string
  migrate(doc: Record<string, unknown>): Record<string, unknown>
}

/** The project's migrations, oldest first; each stays forever. */
export const MIGRATIONS: readonly Migration[] = [
  {
    // Version 2 added the optional `room`; a version-1 graph has none, so nothing changes.
    from: 1,
    note: 'graphs can now keep their listening room; nothing else changed',
    migrate: (doc) => doc,
  },
]

export type MigrationResult =
  { ok: true; doc: Record<string, unknown>; notes: string[] } | { ok: false; problem: Problem }

export function migrateForward(
  doc: Record<string, unknown>,
  migrations: readonly Migration[],
  target = GRAPH_VERSION,
): MigrationResult {
  const version = doc.version
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return fail(`The graph's "version" must be a whole number; it is ${JSON.stringify(version)}.`)
  }
  if (version > target) {
    return fail(
      `This graph was saved by a newer Synesthete (schema version ${version}; this app reads up to ${target}). Update Synesthete to open it.`,
    )
  }
  let current = doc
  const notes: string[] = []
  for (let v = version; v < target; v++) {
    const step = migrations.find((m) => m.from === v)
    if (!step) return fail(`No migration from schema version ${v} to ${v + 1} is known.`)
    current = { ...step.migrate(structuredClone(current)), version: v + 1 }
    notes.push(`Updated from version ${v} to ${v + 1}: ${step.note}`)
  }
  return { ok: true, doc: current, notes }
}

function fail(message: string): MigrationResult {
  return { ok: false, problem: { message, path: 'version', field: 'version' } }
}
