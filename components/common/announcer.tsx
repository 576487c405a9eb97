'use client';

import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

export type Tone = 'info' | 'ok' | 'bad';
type Announce = (message: string, tone?: Tone) => void;

interface Announcement {
  id: number;
  message: string;
  tone: Tone;
}

/** How long a toast stays; the live region keeps the last words until the next. */
const TOAST_MS = 6000;
/** Toasts on screen at once: older ones leave when a fourth arrives. */
const MAX_TOASTS = 3;

const AnnouncerContext = createContext<Announce>(() => undefined);

/**
 * Every action said twice, once for each sense: a toast for the eyes and a polite `aria-live`
 * status region ("Announcements") for screen readers. The toasts are hidden from assistive
 * technology so nothing is read twice, and hold no controls (they leave by themselves). Each
 * message is a new node in the region, so the same words twice are announced twice.
 */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Announcement[]>([]);
  const [last, setLast] = useState<Announcement | null>(null);
  const seq = useRef(0);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach(clearTimeout);
  }, []);

  const announce = useCallback<Announce>((message, tone = 'info') => {
    seq.current += 1;
    const item = { id: seq.current, message, tone };
    setLast(item);
    setToasts((list) => [...list.slice(-(MAX_TOASTS - 1)), item]);
    const timer = setTimeout(() => {
      timers.current.delete(timer);
      setToasts((list) => list.filter((t) => t.id !== item.id));
    }, TOAST_MS);
    timers.current.add(timer);
  }, []);

  return (
    <AnnouncerContext.Provider value={announce}>
      {children}
      <div role="status" aria-live="polite" aria-atomic="true" aria-label="Announcements" className="sr-only">
        {last ? <p key={last.id}>{last.message}</p> : null}
      </div>
      <div className="toasts" aria-hidden="true">
        {toasts.map((t) => (
          <p key={t.id} className={`toast toast-${t.tone}`}>
            {t.message}
          </p>
        ))}
      </div>
    </AnnouncerContext.Provider>
  );
}

/** Says something to everyone looking or listening: `announce("Started groq", "info")`. */
export function useAnnounce(): Announce {
  return useContext(AnnouncerContext);
}
