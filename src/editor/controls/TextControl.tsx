import { useEffect, useState } from 'react'
import type { TextParam } from '../../engine/params'

/** Text, or a text area for prompts; stored as you type, one undo step per burst. */
export function TextControl(props: {
  spec: TextParam
  value: string
  label: string
  onChange: (value: string, drag: boolean) => void
  onCommit: () => void
}) {
  const { spec, value, label, onChange, onCommit } = props
  const [draft, setDraft] = useState(value)
  useEffect(() => setDraft(value), [value])
  const common = {
    'aria-label': label,
    value: draft,
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      setDraft(e.target.value)
      onChange(e.target.value, true)
    },
    onBlur: onCommit,
  }
  return spec.multiline ? (
    <textarea className="control-text" rows={3} {...common} />
  ) : (
    <input className="control-text" type="text" {...common} />
  )
}
