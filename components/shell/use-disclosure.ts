'use client';

import { useCallback, useEffect, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';

/**
 * A disclosure (a button that shows and hides a panel), as the WAI-ARIA disclosure navigation
 * pattern has it: Escape closes and gives focus back to the button; focus leaving the panel, or a
 * click outside it, closes it. Spread `rootProps` on the element holding both button and panel.
 * https://www.w3.org/WAI/ARIA/apg/patterns/disclosure/examples/disclosure-navigation/
 */
export function useDisclosure() {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const toggle = useCallback(() => setOpen((was) => !was), []);
  const close = useCallback(() => setOpen(false), []);

  // Some browsers (Safari) do not focus a clicked button, so a click elsewhere blurs nothing.
  useEffect(() => {
    if (!open) return;
    const outside = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);

  const rootProps = {
    ref: rootRef,
    onKeyDown(e: KeyboardEvent) {
      if (e.key !== 'Escape' || !open) return;
      e.stopPropagation();
      setOpen(false);
      buttonRef.current?.focus();
    },
    onBlur(e: FocusEvent) {
      if (!rootRef.current?.contains(e.relatedTarget as Node | null)) setOpen(false);
    },
  };
  return { open, toggle, close, buttonRef, rootProps };
}
