import { describe, expect, it } from 'vitest'
import { registry } from '../../nodes'
import { applyCommandLine } from '../../src/cli/graph-edits'
import { render } from '../../src/cli/render'
import { GRAPH_FORMAT, GRAPH_VERSION, type GraphDocument } from '../../src/engine/document'
import { bool, float, parseParamText } from '../../src/engine/params'
import { at, capture, tempGraph } from '../helpers/cli-run'

const graph: GraphDocument = {
  format: GRAPH_FORMAT,
  version: GRAPH_VERSION,
  nodes: [{ id: 'load', type: 'audio/load', params: {}, position: at(0), mode: 'normal' }],
  edges: [],
}

const set = (value: string, param = 'mixdown') =>
  applyCommandLine(
    graph,
    { inputs: [], sets: [{ node: 'load', param, value }], bypass: [] },
    registry,
  ).nodes[0].params[param]

describe('--set NODE.PARAM=VALUE', () => {
  it.each(['true', 'True', 'TRUE', 'on', 'ON', 'yes', 'Yes', '1', ' true '])(
    'reads %j as true',
    (word) => expect(set(word)).toBe(true),
  )

  it.each(['false', 'False', 'OFF', 'no', '0'])('reads %j as false', (word) =>
    expect(set(word)).toBe(false),
  )

  it.each(['maybe', 'ture', '', '2', 'y'])('refuses %j, listing the spellings it takes', (word) => {
    expect(() => set(word)).toThrow(
      `--set load.mixdown: "${word}" is neither true nor false: use true, yes, on, 1 or false, no, off, 0 (any case).`,
    )
  })

  it.each(['NaN', 'Infinity', '-Infinity', '', 'twelve', '1e400'])(
    'refuses the number %j in words, not "Invalid input"',
    (text) => {
      expect(() => set(text, 'sampleRateHz')).toThrow(
        new RegExp(
          `^--set load\\.sampleRateHz: "${text}" is not a number: give a finite number between 0 and \\d+, e\\.g\\. 0\\.$`,
        ),
      )
    },
  )

  it('refuses a number outside the param’s range or not whole, saying the range', () => {
    expect(() => set('-5', 'sampleRateHz')).toThrow(
      '--set load.sampleRateHz=-5: the value must be at least 0.',
    )
    expect(() => set('22050.5', 'sampleRateHz')).toThrow(/the value must be a whole number\./)
    expect(set('22050', 'sampleRateHz')).toBe(22050)
  })

  it('exits 2 with the message, running nothing', async () => {
    const { dir, file } = tempGraph(graph)
    const run = capture()
    const code = await render([file, '--set', 'load.mixdown=perhaps', '--out', dir], run.io)
    expect(code).toBe(2)
    expect(run.err.join('\n')).toMatch(/"perhaps" is neither true nor false/)
  })

  it('parses by the param’s kind', () => {
    expect(parseParamText(bool(false), 'On')).toBe(true)
    expect(parseParamText(float(1), ' 2.5 ')).toBe(2.5)
    expect(() => parseParamText(float(1, { min: 0, max: 4 }), 'NaN')).toThrow(
      '"NaN" is not a number: give a finite number between 0 and 4, e.g. 1.',
    )
  })
})
