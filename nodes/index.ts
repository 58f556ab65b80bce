import type { AnyNodeDefinition } from '../src/engine/define-node'
import { createRegistry } from '../src/engine/registry'
import { audioOutput } from './audio-output'
import { imageOutput } from './image-output'
import { loadAudio } from './load-audio'
import { loadImage } from './load-image'

/** Every node kind Synesthete ships. Adding a node: one file in nodes/, one line here. */
export const allNodes: readonly AnyNodeDefinition[] = [loadAudio, loadImage, audioOutput, imageOutput]

export const registry = createRegistry(allNodes)
