/** The colour theme chosen with the header's toggle, kept in a cookie so the server renders it (no flash, no inline script under the CSP). */
export type Theme = 'light' | 'dark';
/** `system`: no choice made, the system's setting (prefers-color-scheme) decides. */
export type ThemeChoice = Theme | 'system';

export const THEME_COOKIE = 'theme';

export function parseTheme(value: string | undefined): Theme | null {
  return value === 'light' || value === 'dark' ? value : null;
}

/** The toggle's next choice: system → dark → light → system. */
export function nextTheme(choice: ThemeChoice): ThemeChoice {
  return choice === 'system' ? 'dark' : choice === 'dark' ? 'light' : 'system';
}
