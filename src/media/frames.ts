import type { CancelSignal } from '../engine/define-node'
/**
 * Helpers for frame sequences (`FramesValue`): one frame as an image, checks with words for
 * people, and mapping a picture operation over every frame with progress and cancellation.
 */
import { UserError } from '../engine/errors'
import type { FramesValue, ImageValue } from '../engine/values'

/** Frame i as an image value (sharing its planes). */
export function frameImage(value: FramesValue, index: number): ImageValue {
  return { kind: 'image', width: value.width, height: value.height, channels: value.frames[index] }
}

/** How many frames the whole sequence has (more than it holds when it is a window onto it). */
export function framesTotal(value: FramesValue): number {
  return value.range?.total ?? value.frames.length
}

/** Index in the whole sequence of the value's frame i (they differ in a window). */
export function frameIndex(value: FramesValue, i: number): number {
  return (value.range?.start ?? 0) + i
}

/** How long the whole sequence lasts at its frame rate: frames / fps seconds. */
export function framesDurationSec(value: FramesValue): number {
  return value.fps > 0 ? framesTotal(value) / value.fps : 0
}

/**
 * What is wrong with a frame sequence, in words, or undefined when it is usable: at least one
 * frame of at least 1×1, a positive frame rate, the same channels (1–4) in every frame.
 */
export function framesProblem(value: FramesValue): string | undefined {
  // A window past the end of a shorter sequence is empty, and fine; the whole never is.
  if (framesTotal(value) === 0) return 'has no frames'
  if (!(value.fps > 0) || !Number.isFinite(value.fps)) return `has a frame rate of ${value.fps}`
  if (!(value.width >= 1 && value.height >= 1))
    return `has frames of ${value.width}×${value.height} pixels`
  if (value.frames.length === 0) return undefined
  const channels = value.frames[0].length
  if (channels < 1 || channels > 4) return `has frames of ${channels} channels`
  const size = value.width * value.height
  for (const [i, frame] of value.frames.entries()) {
    if (frame.length !== channels)
      return `has ${frame.length} channels in frame ${i + 1} where the first has ${channels}`
    if (frame.some((plane) => plane.length !== size))
      return `has a frame (${i + 1}) whose planes are not ${value.width}×${value.height}`
  }
  return undefined
}

/** Throws a UserError naming `who` when the sequence is unusable. */
export function checkFrames(value: FramesValue, who: string): void {
  const problem = framesProblem(value)
  if (problem)
    throw new UserError(`${who}: the frames input ${problem}.`, 'Check the node feeding it.')
}

export interface FrameProgress {
  signal: CancelSignal
  progress(fraction: number, message?: string): void
}

/**
 * Applies `fn` to every frame in order, reporting "frame i of N" and stopping when cancelled.
 * `fn` is given the frame's index in the whole sequence: in a window (`range`), frame 0 of the
 * value is frame `range.start`, and the result is the same window. The result keeps the frame
 * rate and soundtrack; it keeps `binHz` only when the frames keep their size (an adjusted
 * spectrum is still a spectrum, a drawing of one is not).
 */
export async function mapFrames(
  value: FramesValue,
  fn: (image: ImageValue, index: number) => ImageValue | Promise<ImageValue>,
  ctx: FrameProgress,
): Promise<FramesValue> {
  const frames: Float32Array[][] = []
  let width = value.width
  let height = value.height
  const total = value.frames.length
  for (let i = 0; i < total; i++) {
    ctx.signal.throwIfAborted()
    const image = await fn(frameImage(value, i), frameIndex(value, i))
    if (i > 0 && (image.width !== width || image.height !== height))
      throw new Error(
        `Frame ${i + 1} came out ${image.width}×${image.height}, not ${width}×${height}`,
      )
    width = image.width
    height = image.height
    frames.push(image.channels)
    ctx.progress((i + 1) / total, `frame ${i + 1} of ${total}`)
  }
  const sameSize = width === value.width && height === value.height
  return {
    kind: 'frames',
    fps: value.fps,
    width,
    height,
    frames,
    ...(value.audio ? { audio: value.audio } : {}),
    ...(value.range ? { range: value.range } : {}),
    ...(value.binHz && sameSize ? { binHz: value.binHz } : {}),
    ...(value.analysis && sameSize ? { analysis: value.analysis } : {}),
  }
}
