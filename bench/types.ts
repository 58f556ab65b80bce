/** One benchmark case. Cases live in their own files in bench/ and are listed in cases.ts. */
export interface BenchCase {
  name: string
  /** The work measured (awaited when it returns a promise); called once to warm up, then `repeats` times. */
  run(): unknown
  /** Whether to run once untimed first (default true); whole-graph cases warm up in their first node. */
  warmUp?: boolean
  /** How many timed runs (the best is reported); default 3. */
  repeats?: number
  /** Also time `run` with the FFT seam forced to fft.js (same code, JS transforms). */
  compareFftJs?: boolean
  /** Why no fft.js figure applies (say 'no FFT'), shown in its columns instead of a dash. */
  withoutFftJs?: string
  /** A reference time for the same work, in seconds, and where it comes from. */
  reference?: { seconds: number; label: string }
  /** A yardstick timed in the same process, right after the case (the goal is then a ratio). */
  baseline?: { label: string; run: () => unknown }
  /** The ratio of the case's CPU time to the baseline's to stay under (from the issue). */
  goalRatio?: number
  /** The time to beat, in seconds of CPU time (from the issue that set it); judged met/MISSED. */
  goalSeconds?: number
  /**
   * What `goalSeconds` is judged on: CPU time (default: one core's work) or wall time (a case
   * that runs on several threads, whose CPU time adds up the threads').
   */
  judgeOn?: 'cpu' | 'wall'
  /** A goal that is not a time (peak memory): the goal cell, from the last run. */
  goal?: () => string | undefined
  /** Lines printed after the table (a breakdown, a measure that is not a time), from the last run. */
  notes?: () => string[]
}
