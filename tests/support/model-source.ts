import { afterAll, beforeAll } from 'vitest';
import { startModelSource, type ModelSource } from '~/scripts/lib/model-source';

/**
 * A local OpenAI-compatible source for the file's tests: started before them, closed after. The
 * object returned stands for it (each call goes to the source started in `beforeAll`).
 */
export function modelSourceForFile(): ModelSource {
  let source: ModelSource | undefined;
  beforeAll(async () => {
    source = await startModelSource();
  });
  afterAll(async () => {
    await source?.close();
  });
  return new Proxy({} as ModelSource, {
    get(_, name) {
      if (!source) throw new Error('the model source starts in beforeAll: use it inside a test or hook');
      const value: unknown = Reflect.get(source, name);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(source) : value;
    },
  });
}
