import { useCallback } from 'react'
import type { StoredParamValue } from '../../engine/params'
import type { EditorServices } from '../services'

/**
 * A setter for one param. Continuous edits (slider drags, typing) pass `drag: true` and merge
 * into one undo step until `seal` is called.
 */
export function useSetParam(services: EditorServices, node: string, param: string) {
  const set = useCallback(
    (value: StoredParamValue, drag = false) =>
      services.store.dispatch(
        { type: 'setParam', node, param, value },
        { coalesce: drag ? `param:${node}:${param}` : undefined },
      ),
    [services, node, param],
  )
  const seal = useCallback(() => services.store.seal(), [services])
  return { set, seal }
}
