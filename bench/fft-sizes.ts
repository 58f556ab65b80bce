/**
 * Bench cases for the FFT at sizes that are not 2·3·5-smooth (issue 14's goal: any size within
 * 2× the time of the nearest 2·3·5-smooth size), each timed beside that smooth size in the same
 * process: 2000 forward and inverse real transforms through the FFT seam.
 */
import { createRealFft } from '../src/dsp/fft'
import { isSmooth235 } from '../src/dsp/fft-pffft'
import { mulberry32 } from '../src/engine/random'
import type { BenchCase } from './types'

/** The 2·3·5-smooth size nearest to n (the smaller on a tie). */
export function nearestSmooth(n: number): number {
  for (let d = 0; ; d++) {
    if (isSmooth235(n - d)) return n - d
    if (isSmooth235(n + d)) return n + d
  }
}

const transforms = (n: number, count: number) => () => {
  // Planned at the first run, after run.ts has loaded the WASM backends.
  const fft = createRealFft(n)
  const random = mulberry32(n)
  const x = Float32Array.from({ length: n }, () => random() - 0.5)
  const spectrum = new Float32Array(2 * fft.bins)
  for (let i = 0; i < count; i++) {
    fft.forwardInterleaved(x, spectrum)
    fft.inverseInterleaved(spectrum, x)
  }
}

const sizeCase = (n: number, why: string, count = 2000): BenchCase => {
  const smooth = nearestSmooth(n)
  return {
    name: `FFT ${n} (${why}) ×${count} both ways`,
    repeats: 5,
    withoutFftJs: 'see the FFT tests',
    run: transforms(n, count),
    baseline: {
      label: `FFT ${smooth}, the nearest 2·3·5-smooth size`,
      run: transforms(smooth, count),
    },
    goalRatio: 2,
  }
}

export const fftSizeBenches: BenchCase[] = [
  sizeCase(17640, 'Riffusion: 2³·3²·5·7²'),
  sizeCase(598, 'notebook: 2·13·23'),
  sizeCase(2058, '2·3·7³'),
  sizeCase(1001, 'odd: 7·11·13'),
  sizeCase(30030, '2·3·5·7·11·13'),
  sizeCase(15015, 'odd: 3·5·7·11·13'),
  // The worst of bench/fft-scan.ts per class of size (README, src/dsp/README.md).
  sizeCase(1023, 'odd: 3·11·31'),
  sizeCase(6859, 'odd: 19³', 500),
  sizeCase(1552, '2⁴·97: a Rader stage of 97 on four lanes'),
  sizeCase(2510, "2·5·251: Rader's first stage on one transform"),
  sizeCase(17399, 'odd: 127·137, a Rader stage of 127', 200),
  sizeCase(4801, 'prime: Rader over 4800', 1000),
  sizeCase(2062, '2·1031: Bluestein on 1031 complex points'),
  sizeCase(1047, "3·349: Rader's first stage"),
  sizeCase(4099, 'prime, 4098 = 2·3·683: zero-padded Rader', 1000),
]
