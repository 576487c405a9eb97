/** `npm run seed [-- --force]`: fills the catalog from its sources (by default only when it is empty). */
// @ts-nocheck

import { getEnv } from '~/server/env';
import { seedIfEmpty } from './lib/seed';

const force = process.argv.includes('--force');
const count = await seedIfEmpty(getEnv(), force);
console.log(count ? `Seeded ${count} providers.` : 'The catalog already has data; use --force to overwrite it.');
