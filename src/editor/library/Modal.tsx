import type { ReactNode } from 'react'

/**
 * A dialog over the editor. Keys pressed inside stay inside: the editor's shortcuts listen on
 * the window, and Delete or Space in a dialog must not delete or play on the canvas behind it.
 */
export function Modal(props: {
  label: string
  onClose: () => void
  className?: string
  testId?: string
  role?: 'dialog' | 'alertdialog'
  /** 'under' for the graph browser: messages about what it did show above it. */
  layer?: 'under' | 'top'
  children: ReactNode
}) {
  const { label, onClose, className = 'dialog', testId, role = 'dialog', layer, children } = props
  return (
    <div className={`modal-backdrop${layer ? ` modal-${layer}` : ''}`} onClick={onClose}>
      <div
        className={className}
        role={role}
        aria-label={label}
        aria-modal
        data-testid={testId}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose()
          e.stopPropagation()
        }}
      >
        {children}
      </div>
    </div>
  )
}
