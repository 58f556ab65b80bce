import { defineNode } from '../src/engine/define-node'
import { UserError } from '../src/engine/errors'
import { file } from '../src/engine/params'
import { decodePng } from '../src/media/png'
import { sniff } from '../src/media/sniff'

export const loadImage = defineNode({
  type: 'image/load',
  version: 1,
  title: 'Load Image',
  category: 'Sources',
  description: 'Reads a PNG image (any bit depth, grey, colour, palette or with alpha).',
  inputs: {},
  outputs: { image: 'image' },
  params: {
    file: file('image', {
      default: '',
      label: 'File',
      description: 'The picture to start from: drop a PNG on the node or choose one.',
    }),
  },
  runtime: 'cpu',
  cancellation: 'none',
  // Any picture: one that is not a PNG gets a message saying to convert it.
  accepts: (head) => sniff(head).kind === 'image',
  run: (_inputs, params) => {
    const chosen = params.file
    if (!chosen)
      throw new UserError('No image file chosen.', 'Drop a PNG image on the node, or choose one.')
    const image = decodePng(chosen.bytes, { name: chosen.name })
    return { image: { kind: 'image', ...image } }
  },
})
