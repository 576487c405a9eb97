/** The review's before → after per model: the catalog's history shows the same rows, so the words live beside it (catalog/history/changes.ts). */
import 'server-only';
export { modelChanges } from '~/server/catalog/history/changes';
