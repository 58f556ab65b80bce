/**
 * Bench case: the notebook's chirp render, 400 columns × 720,000 samples (30 s at 24 kHz),
 * from the column means of the notebook's sweep image. Run alone: `npx tsx bench/chirp.ts`.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chirpSum, notebookChirpColumns } from '../src/dsp/chirp'
import { readNpy } from '../src/media/npy'
import type { BenchCase } from './types'

const means = readNpy(
  new Uint8Array(
    readFileSync(
      new URL(
        '../tests/fixtures/notebook/sweep_log_mono_44100/chirp_col_means.npy',
        import.meta.url,
      ),
    ),
  ),
).data
const columns = notebookChirpColumns(
  means.filter((_v, i) => i % 3 === 0),
  means.filter((_v, i) => i % 3 === 1),
  800,
  0.2,
  0.8,
)

export const chirpBench: BenchCase & { samples: number } = {
  name: 'chirp: 400 columns × 30 s at 24 kHz (notebook)',
  /** Samples produced per run, for a throughput figure. */
  samples: 720_000,
  goalSeconds: 0.5,
  withoutFftJs: 'no FFT', // a sum of sinusoids: the FFT seam is not used
  run(): void {
    chirpSum({
      ...columns,
      frequencyRatio: 1.5,
      durationSec: 30,
      sampleRateHz: 24000,
      timeAxis: 'notebook-linspace',
    })
  },
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (let i = 0; i < 2; i++) chirpBench.run() // warm up the JIT
  const times: number[] = []
  for (let i = 0; i < 10; i++) {
    const start = performance.now()
    chirpBench.run()
    times.push(performance.now() - start)
  }
  times.sort((x, y) => x - y)
  const median = times[times.length >> 1]
  const columnSamples = chirpBench.samples * 400
  console.log(
    `${chirpBench.name}: median ${median.toFixed(1)} ms, best ${times[0].toFixed(1)} ms ` +
      `(${(columnSamples / (median / 1000) / 1e9).toFixed(2)} G column-samples/s)`,
  )
}
