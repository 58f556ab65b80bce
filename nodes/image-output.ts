import { defineNode } from '../src/engine/define-node'
import { text } from '../src/engine/params'
import { pngExport, pngFileName } from '../src/media/output-files'

/**
 * Marks an image to export. It passes the image through, so the editor can show it; `export`
 * gives the PNG (carrying the graph) that the CLI writes and the editor offers.
 */
export const imageOutput = defineNode({
  type: 'image/output',
  version: 1,
  title: 'Image Output',
  category: 'Outputs',
  description: 'Exports its input as an 8-bit PNG file.',
  inputs: { image: 'image' },
  outputs: { image: 'image' },
  params: {
    name: text('output', {
      label: 'File name',
      description: 'Name of the exported file; ".png" is added.',
    }),
  },
  runtime: 'cpu',
  cancellation: 'none',
  run: ({ image }) => {
    return { image }
  },
  export: ({ image }, params, ctx) => [pngExport(image, params, ctx)],
  exportNames: ({ name }) => [pngFileName(name)],
})
