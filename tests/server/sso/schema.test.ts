/** The one pure rule of single sign-on: a claim read as a list, and the highest role its values give. */
import { describe, expect, it } from 'vitest';
import { claimValues, roleFromClaim } from '~/server/sso/schema';

const groups = { admin: ['panel-admins'], operator: ['panel-operators', 'deployers'], viewer: ['staff'] };

describe('claimValues', () => {
  it('reads a list of strings, one string (some IdPs send a single role so), and nothing else', () => {
    expect(claimValues(['a', 'b'])).toEqual(['a', 'b']);
    expect(claimValues('a')).toEqual(['a']);
    expect(claimValues(['a', 1, null, { b: 1 }, 'c'])).toEqual(['a', 'c']);
    expect(claimValues([])).toEqual([]);
    for (const absent of [undefined, null, 3, true, { groups: ['a'] }]) expect(claimValues(absent)).toBeNull();
  });
});

describe('roleFromClaim', () => {
  it('gives the highest role any value gives, whatever their order', () => {
    expect(roleFromClaim(['staff', 'panel-admins'], groups)).toBe('admin');
    expect(roleFromClaim(['staff', 'deployers'], groups)).toBe('operator');
    expect(roleFromClaim(['deployers', 'panel-admins', 'staff'], groups)).toBe('admin');
    expect(roleFromClaim(['staff'], groups)).toBe('viewer');
  });

  it('gives none for values outside every configured group, compared exactly', () => {
    expect(roleFromClaim([], groups)).toBeNull();
    expect(roleFromClaim(['Panel-Admins', 'panel-admins-old', 'panel'], groups)).toBeNull();
    expect(roleFromClaim(['panel-admins'], { admin: [], operator: [], viewer: [] })).toBeNull();
  });
});
