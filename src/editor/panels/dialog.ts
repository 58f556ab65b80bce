import { useEffect, useRef, type KeyboardEvent as ReactKeyboardEvent, type RefObject } from 'react'

/**
 * The one mechanism every dialog and panel over the editor uses: focus goes in when it opens
 * and comes back where it was when it closes, Tab cycles inside, Escape closes the topmost
 * one, and no key typed while one is open reaches the canvas (Ctrl+A then Delete in a dialog
 * must never delete the nodes behind it). The editor's shortcuts ask `dialogOpen()`.
 */

interface OpenDialog {
  element: () => HTMLElement | null
  close: () => void
  /** A popup (palette, menu) closes when focus leaves it; a modal dialog keeps the focus. */
  modal: boolean
}

/** Open dialogs, the topmost last. */
const stack: OpenDialog[] = []

/** Whether a dialog or panel holds the keyboard: the canvas's shortcuts then do nothing. */
export function dialogOpen(): boolean {
  return stack.length > 0
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"]), [contenteditable="true"]'

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => el.getClientRects().length > 0,
  )
}

const top = (): OpenDialog | undefined => stack[stack.length - 1]

/** Focus that wanders out of the topmost dialog (a click on the page behind) is brought back. */
function onFocusIn(event: FocusEvent): void {
  const dialog = top()
  const root = dialog?.element()
  if (!dialog || !root || !(event.target instanceof Element) || root.contains(event.target)) return
  // A dialog opening above this one (an alert) focuses itself before it is on the stack.
  if (event.target.closest('[aria-modal="true"]')) return
  if (dialog.modal) root.focus()
  else dialog.close()
}

/** Escape pressed while focus is nowhere in particular (the page body) closes the topmost. */
function onWindowKey(event: KeyboardEvent): void {
  const dialog = top()
  const root = dialog?.element()
  if (!dialog || !root) return
  if (event.target instanceof Node && root.contains(event.target)) return
  if (event.key === 'Escape') {
    event.preventDefault()
    dialog.close()
  }
}

function push(dialog: OpenDialog): void {
  if (stack.length === 0) {
    document.addEventListener('focusin', onFocusIn)
    window.addEventListener('keydown', onWindowKey, true)
  }
  stack.push(dialog)
}

function remove(dialog: OpenDialog): void {
  const at = stack.indexOf(dialog)
  if (at >= 0) stack.splice(at, 1)
  if (stack.length === 0) {
    document.removeEventListener('focusin', onFocusIn)
    window.removeEventListener('keydown', onWindowKey, true)
  }
}

/**
 * Makes the element behind `ref` a dialog: spread `onKeyDown` on it and give it
 * `tabIndex={-1}`. `onClose` may change identity between renders.
 */
export function useDialog<T extends HTMLElement>(
  onClose: () => void,
  { modal = true }: { modal?: boolean } = {},
): { ref: RefObject<T | null>; onKeyDown: (event: ReactKeyboardEvent) => void } {
  const ref = useRef<T | null>(null)
  const closeRef = useRef(onClose)
  closeRef.current = onClose

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null
    const dialog: OpenDialog = {
      element: () => ref.current,
      close: () => closeRef.current(),
      modal,
    }
    push(dialog)
    const root = ref.current
    // autoFocus (React's) has already run; otherwise the dialog itself takes the keys.
    if (root && !root.contains(document.activeElement)) root.focus()
    return () => {
      remove(dialog)
      const under = top()?.element()
      if (before?.isConnected && (!under || under.contains(before))) before.focus()
      else under?.focus()
    }
    // Modality is fixed for a dialog's life: the effect runs once, on open.
  }, [])

  const onKeyDown = (event: ReactKeyboardEvent) => {
    // Keys stay in here: the editor's shortcuts listen on the window.
    event.stopPropagation()
    if (event.key === 'Escape') {
      if (event.defaultPrevented) return // a field inside used it (giving back its text)
      event.preventDefault()
      closeRef.current()
      return
    }
    const root = ref.current
    if (event.key !== 'Tab' || !root) return
    const items = focusables(root)
    if (items.length === 0) {
      event.preventDefault()
      root.focus()
      return
    }
    const first = items[0]
    const last = items[items.length - 1]
    const active = document.activeElement
    if (event.shiftKey && (active === first || active === root)) {
      event.preventDefault()
      last.focus()
    } else if (!event.shiftKey && active === last) {
      event.preventDefault()
      first.focus()
    }
  }
  return { ref, onKeyDown }
}
