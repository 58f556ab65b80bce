/**
 * `node --import tsx bench/peak-rss.ts ARGS…`: the CLI's render with ARGS, then its peak
 * resident set (all threads) on stdout as `peak RSS <bytes>`. Run it from a shell: started
 * from the bench process (spawn or spawnSync) the child stalled mid-run, three times of three.
 */
import { render } from '../src/cli/render'

const code = await render(process.argv.slice(2))
console.log(`peak RSS ${process.resourceUsage().maxRSS * 1024}`)
process.exitCode = code
