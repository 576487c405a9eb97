/** APP_ENVIRONMENT as pages show it: the name as configured, production decided by its start. */
import { describe, expect, it } from 'vitest';
import { appEnvironment } from '~/server/lib/environment';
import { envSchema } from '~/server/env';

describe('appEnvironment', () => {
  it('is nothing when unset or blank', () => {
    expect(appEnvironment(undefined)).toBeNull();
    expect(appEnvironment('  ')).toBeNull();
  });

  it('marks names starting with "prod" as production, whatever their case', () => {
    expect(appEnvironment('production-eu')).toEqual({ name: 'production-eu', production: true });
    expect(appEnvironment('Prod')).toEqual({ name: 'Prod', production: true });
    expect(appEnvironment('staging')).toEqual({ name: 'staging', production: false });
    expect(appEnvironment('preprod')).toEqual({ name: 'preprod', production: false });
  });

  it('the environment accepts a plain name and refuses markup or a long line', () => {
    const base = { ADMIN_TOKEN: 'x'.repeat(24) };
    expect(envSchema.parse({ ...base, APP_ENVIRONMENT: ' production-eu ' }).APP_ENVIRONMENT).toBe('production-eu');
    expect(envSchema.safeParse({ ...base, APP_ENVIRONMENT: '<b>prod</b>' }).success).toBe(false);
    expect(envSchema.safeParse({ ...base, APP_ENVIRONMENT: 'p'.repeat(41) }).success).toBe(false);
  });
});
