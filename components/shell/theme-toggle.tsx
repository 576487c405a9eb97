'use client';

import { useState } from 'react';
import { nextTheme, THEME_COOKIE, type Theme, type ThemeChoice } from './theme';

const WORDS: Record<ThemeChoice, string> = { system: 'System', dark: 'Dark', light: 'Light' };
/** An icon only (the header has no room for a word at 1280 px); the name and the tooltip say it. */
const ICONS: Record<ThemeChoice, string> = { system: '◐', dark: '☾', light: '☀' };

/**
 * The theme: the system's by default; a click cycles dark, light, system. Remembered in a cookie for
 * a year (the server puts it on <html> for the next page), applied here at once.
 */
export function ThemeToggle({ initial }: { initial: Theme | null }) {
  const [choice, setChoice] = useState<ThemeChoice>(initial ?? 'system');
  const change = () => {
    const next = nextTheme(choice);
    setChoice(next);
    const root = document.documentElement;
    if (next === 'system') {
      delete root.dataset.theme;
      document.cookie = `${THEME_COOKIE}=; path=/; max-age=0; samesite=lax`;
    } else {
      root.dataset.theme = next;
      document.cookie = `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
    }
  };
  return (
    <button type="button" className="button button-ghost theme-toggle" onClick={change} aria-label={`Theme: ${WORDS[choice]}`} title={`Theme: ${WORDS[choice]} (click to change)`}>
      <span aria-hidden="true">{ICONS[choice]}</span>
    </button>
  );
}
