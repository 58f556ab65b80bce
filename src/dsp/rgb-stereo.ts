/**
 * How a three-channel (RGB) reading is heard on stereo: red on the left, green in the centre,
 * blue on the right. The centre is an equal-power pan (−3 dB into each side, as a pan pot at
 * its middle under the constant-power law), so green is as loud as red or blue would be alone:
 *
 *   L = R + G·√½,   R = B + G·√½
 *
 * Audio with one or two channels is returned unchanged; any other count is refused, since
 * no rule here says where its channels sit.
 */

/** What listen.json and the room say about a three-channel reading's playback. */
export const RGB_STEREO_DESCRIPTION = 'stereo (red left, green centre, blue right)'

export function rgbToStereo(channels: readonly Float32Array[]): Float32Array[] {
  if (channels.length === 1 || channels.length === 2) return [...channels]
  if (channels.length !== 3)
    throw new RangeError(
      `Only mono, stereo and three-channel (RGB) readings can be played on stereo; this audio has ${channels.length} channels.`,
    )
  const [red, green, blue] = channels
  const n = Math.min(red.length, green.length, blue.length)
  const left = new Float32Array(n)
  const right = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    const centre = green[i] * Math.SQRT1_2
    left[i] = red[i] + centre
    right[i] = blue[i] + centre
  }
  return [left, right]
}
