import type { AudioValue } from '../../engine/values'

/**
 * Samples copied into an AudioBuffer between two yields to the page: 64 k (a quarter MB). With
 * 512 k, opening two 10-minute lanes gave the page long tasks of 50–600 ms on our loaded 2-core
 * machine; with 64 k, none over 50 ms in the e2e's run.
 */
const SLICE = 1 << 16

const made = new WeakMap<AudioValue, Promise<AudioBuffer>>()

/**
 * A lane's sound as a Web Audio buffer, made once per value. A 10-minute stereo lane is 50 M
 * samples: copied in one go that is a long task, so it is copied in slices with the page
 * free between them. Web Audio resamples a buffer at another rate as it plays.
 */
export function audioBufferOf(audio: AudioValue): Promise<AudioBuffer> {
  let promise = made.get(audio)
  if (!promise) {
    promise = copyIn(audio)
    made.set(audio, promise)
  }
  return promise
}

async function copyIn(audio: AudioValue): Promise<AudioBuffer> {
  const length = audio.channels[0]?.length ?? 0
  const channels = audio.channels.slice(0, 32)
  if (length === 0 || channels.length === 0) throw new Error('The sound is empty')
  const buffer = new AudioBuffer({
    length,
    numberOfChannels: channels.length,
    sampleRate: audio.sampleRate,
  })
  for (let c = 0; c < channels.length; c++) {
    for (let at = 0; at < length; at += SLICE) {
      const slice = channels[c].subarray(at, Math.min(length, at + SLICE))
      // Web Audio takes no shared memory: a slice of a SharedArrayBuffer is copied first.
      const plain =
        slice.buffer instanceof ArrayBuffer
          ? (slice as Float32Array<ArrayBuffer>)
          : new Float32Array(slice)
      buffer.copyToChannel(plain, c, at)
      if (length > SLICE) await yieldToPage()
    }
  }
  return buffer
}

function yieldToPage(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0))
}
