// A native modal dialog for the studio's help and about boxes: the page behind is inert, focus moves in,
// Escape or a click on the backdrop closes it, and focus returns to where it was.
import { useEffect, useRef, type ReactNode } from 'react'

/** a click on the backdrop reaches the dialog itself, outside its box */
function closeOnBackdrop(e: React.MouseEvent<HTMLDialogElement>): void {
  const r = e.currentTarget.getBoundingClientRect()
  if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) e.currentTarget.close()
}

export function Modal({ label, onClose, children }: { label: string; onClose(): void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null)
  const close = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    const d = ref.current
    if (d && !d.open) d.showModal()
    // focus on Close, not on the first link of the text (Space or Enter then closes, as in a message box)
    close.current?.focus()
    return () => d?.close()
  }, [])
  return (
    <dialog ref={ref} className="modal-body" aria-label={label} onClose={onClose} onClick={closeOnBackdrop}>
      {children}
      <form method="dialog"><button type="submit" ref={close}>Close</button></form>
    </dialog>
  )
}
