import type { ReactNode } from 'react'
import { useDialog } from '../panels/dialog'

/**
 * A dialog over the editor (see `useDialog`): focus stays inside, Escape or a click outside
 * closes it, and keys pressed inside never reach the canvas behind it.
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
  const { ref, onKeyDown } = useDialog<HTMLDivElement>(onClose)
  return (
    <div className={`modal-backdrop${layer ? ` modal-${layer}` : ''}`} onClick={onClose}>
      <div
        ref={ref}
        className={className}
        role={role}
        aria-label={label}
        aria-modal
        tabIndex={-1}
        data-testid={testId}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={onKeyDown}
      >
        {children}
      </div>
    </div>
  )
}
