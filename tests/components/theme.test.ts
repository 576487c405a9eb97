/** The theme cookie's value and the toggle's cycle. */
import { describe, expect, it } from 'vitest';
import { nextTheme, parseTheme } from '~/components/shell/theme';

describe('theme', () => {
  it('reads only a theme it knows from the cookie; anything else is the system\'s', () => {
    expect([parseTheme('dark'), parseTheme('light'), parseTheme(undefined), parseTheme('"><script>')]).toEqual(['dark', 'light', null, null]);
  });

  it('cycles system, dark, light, system', () => {
    expect([nextTheme('system'), nextTheme('dark'), nextTheme('light')]).toEqual(['dark', 'light', 'system']);
  });
});
