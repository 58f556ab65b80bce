/**
 * `npm run render` in a process of its own that prints its peak memory when done, for tests that
 * bound it: `peak-rss-bytes N` (the process's maxRSS, worker threads included) after the run's
 * own output. Run with `node --import tsx tests/helpers/render-peak.ts ARGS…`.
 */
import { render } from '../../src/cli/render'

const code = await render(process.argv.slice(2))
// resourceUsage().maxRSS is in kibibytes.
console.log(`peak-rss-bytes ${process.resourceUsage().maxRSS * 1024}`)
process.exit(code)
