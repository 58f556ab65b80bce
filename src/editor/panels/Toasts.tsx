import { useSyncExternalStore } from 'react'
import type { Toast, UiStore } from '../ui-store'

/** Short messages; one tied to a place (a refused connection) appears right there. */
export function Toasts({ ui }: { ui: UiStore }) {
  const { toasts } = useSyncExternalStore(ui.subscribe, ui.getSnapshot)
  const toastView = (toast: Toast) => (
    <div
      key={toast.id}
      className={`toast toast-${toast.tone}${toast.at ? ' toast-at' : ''}`}
      role={toast.tone === 'info' ? 'status' : 'alert'}
      data-testid="toast"
      style={
        toast.at
          ? { left: Math.min(toast.at.x + 14, window.innerWidth - 380), top: toast.at.y + 14 }
          : undefined
      }
      onClick={() => ui.dismiss(toast.id)}
    >
      {toast.text}
    </div>
  )
  // Toasts without a place stack above the status bar instead of covering each other.
  return (
    <>
      {toasts.filter((t) => t.at).map(toastView)}
      <div className="toast-stack">{toasts.filter((t) => !t.at).map(toastView)}</div>
    </>
  )
}
