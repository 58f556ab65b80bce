/** Every benchmark `npm run bench` runs, in order. Add a case: one file in bench/, one line here. */
import { chirpBench } from './chirp'
import { fftSizeBenches } from './fft-sizes'
import { diffusionBench, diffusionStepBench } from './diffusion'
import {
  defaultGraphBench,
  defaultGraphMemoryBench,
  defaultGraphThreadsBench,
} from './default-graph'
import { farmBench } from './farm'
import { nativeStepBench } from './native'
import { presetBench } from './preset'
import {
  griffinLimBench,
  griffinLimMinuteBench,
  griffinLimNotebookBench,
  mixBench,
  phaseVocoderBench,
  stftBench,
  stftRoundTripBench,
  stftNormalizeBench,
} from './dsp'
import { loudnessBench } from './loudness'
import { imageToMagnitudeBench, pngEncodeBench } from './pixels'
import { riffusionDecodeBench, riffusionDecodeFastBench, riffusionEncodeBench } from './riffusion'
import type { BenchCase } from './types'

export const cases: readonly BenchCase[] = [
  ...fftSizeBenches,
  { ...stftBench, repeats: 7 }, // a short case: more repeats let its best run escape the noise
  stftNormalizeBench,
  griffinLimNotebookBench,
  griffinLimBench,
  griffinLimMinuteBench,
  phaseVocoderBench,
  stftRoundTripBench,
  mixBench,
  { ...chirpBench, repeats: 5 },
  loudnessBench,
  imageToMagnitudeBench,
  pngEncodeBench,
  riffusionEncodeBench,
  riffusionDecodeBench,
  riffusionDecodeFastBench,
  presetBench,
  defaultGraphBench,
  defaultGraphThreadsBench,
  defaultGraphMemoryBench,
  diffusionBench,
  diffusionStepBench,
  nativeStepBench,
  farmBench,
]
