// @ts-nocheck
import { defineConfig } from 'vitest/config';
import base from './vitest.config';

/** `npm run mutate`: the domain's tests (no child processes), which StrykerJS reruns for each mutant. */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['tests/server/**/*.test.ts', 'tests/http/rest.test.ts'],
    exclude: ['**/node_modules/**'],
  },
});
