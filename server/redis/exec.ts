/**
 * Sends a pipeline or a MULTI and returns its replies. ioredis resolves `exec()` with per-command
 * errors instead of rejecting, and with null when a transaction was aborted: both throw here.
 */
import 'server-only';

export async function execChecked(batch: { exec(): Promise<[Error | null, unknown][] | null> }): Promise<unknown[]> {
  const results = await batch.exec();
  if (!results) throw new Error('Redis aborted the transaction');
  return results.map(([err, reply]) => {
    if (err) throw err;
    return reply;
  });
}
