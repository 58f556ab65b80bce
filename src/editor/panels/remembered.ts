import { useState } from 'react'

/**
 * A yes/no choice of the person's that outlives a reload (the minimap shown, the intro read),
 * kept in localStorage. Storage that refuses (private mode, blocked) only costs the memory.
 */
export function useRemembered(key: string, initial: boolean): [boolean, (on: boolean) => void] {
  const [value, setValue] = useState(() => {
    try {
      const stored = localStorage.getItem(key)
      return stored === null ? initial : stored === '1'
    } catch {
      return initial
    }
  })
  const set = (on: boolean) => {
    setValue(on)
    try {
      localStorage.setItem(key, on ? '1' : '0')
    } catch {
      // Not remembered: the choice still holds until the page is closed.
    }
  }
  return [value, set]
}
