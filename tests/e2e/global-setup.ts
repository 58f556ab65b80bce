import type { TestProject } from 'vitest/node'
import { buildForE2e, startPreview } from './preview-server'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where `vite preview` serves the e2e build, e.g. http://127.0.0.1:4173 */
    baseUrl: string
  }
}

/** Once per run: build the app with the harness pages, serve it, stop serving at the end. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPreview(buildForE2e())
  project.provide('baseUrl', server.url)
  return () => server.stop()
}
