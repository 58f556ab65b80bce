import type { ParamSpecs, ParamValues } from '../../src/engine/params'

/** A node's params at their defaults, typed from its definition (for nodes without file params). */
export function defaultParams<P extends ParamSpecs>(def: { params: P }): ParamValues<P> {
  return Object.fromEntries(
    Object.entries(def.params).map(([name, spec]) => [name, spec.default]),
  ) as ParamValues<P>
}
