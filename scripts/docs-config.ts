/** `npm run docs:config`: writes docs/configuration.md from server/env.ts (scripts/lib/config-doc.ts). */
import { writeFileSync } from 'node:fs';
import { renderConfiguration } from './lib/config-doc';

const target = new URL('../docs/configuration.md', import.meta.url);
writeFileSync(target, renderConfiguration());
console.log(`wrote ${target.pathname}`);
