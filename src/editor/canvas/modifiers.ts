/** Which modifier keys are down, for adding to the selection with Ctrl/Shift/Cmd + click. */
export class Modifiers {
  accumulate = false

  private readonly update = (event: KeyboardEvent | PointerEvent): void => {
    this.accumulate = event.ctrlKey || event.shiftKey || event.metaKey
  }

  private readonly reset = (): void => {
    this.accumulate = false
  }

  attach(): void {
    window.addEventListener('keydown', this.update, true)
    window.addEventListener('keyup', this.update, true)
    window.addEventListener('pointerdown', this.update, true)
    window.addEventListener('blur', this.reset)
  }

  detach(): void {
    window.removeEventListener('keydown', this.update, true)
    window.removeEventListener('keyup', this.update, true)
    window.removeEventListener('pointerdown', this.update, true)
    window.removeEventListener('blur', this.reset)
  }
}
