/**
 * `node --import tsx bench/peak-rss.ts ARGS…`: the CLI's render with ARGS, then its peak
 * resident set (all threads) on stdout as `peak RSS <bytes>`. bench/default-graph.ts runs it
 * as a child process (`npm run bench -- memory`); it runs from a shell as well.
 */
import { render } from '../src/cli/render'

const code = await render(process.argv.slice(2))
console.log(`peak RSS ${process.resourceUsage().maxRSS * 1024}`)
process.exitCode = code
