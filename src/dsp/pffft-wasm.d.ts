/**
 * Types for the Emscripten build of PFFFT shipped by @echogarden/pffft-wasm (the package has
 * none). Only what src/dsp/fft-pffft.ts uses is declared. Pointers are byte offsets into the
 * module's heap; the HEAP views are replaced when the heap grows, so re-read them after any
 * allocation.
 */
declare module '@echogarden/pffft-wasm/simd' {
  export interface PffftModule {
    HEAPF32: Float32Array
    _pffft_new_setup(size: number, transform: number): number
    _pffft_destroy_setup(setup: number): void
    _pffft_transform_ordered(
      setup: number,
      input: number,
      output: number,
      work: number,
      direction: number,
    ): void
    _pffft_transform(
      setup: number,
      input: number,
      output: number,
      work: number,
      direction: number,
    ): void
    _pffft_zconvolve_accumulate(
      setup: number,
      a: number,
      b: number,
      ab: number,
      scaling: number,
    ): void
    _pffft_aligned_malloc(bytes: number): number
    _pffft_aligned_free(pointer: number): void
    _pffft_simd_size(): number
  }

  export interface PffftModuleOptions {
    wasmBinary?: ArrayBuffer | Uint8Array
    locateFile?: (path: string, scriptDirectory: string) => string
  }

  const createModule: (options?: PffftModuleOptions) => Promise<PffftModule>
  export default createModule
}
