/**
 * Several streams read as one, newest first, in pages. Stream ids are unique within one stream
 * only (two streams written in the same millisecond both have `<ms>-0`), so a position names its
 * stream as well, `<id>@<store>`, and equal ids are ordered by the stores' order: a cursor then says
 * exactly which entries a reader has seen, with no repeat and no gap.
 */
import 'server-only';
import type { AuditStore } from './schema';

/** Entries read per XREVRANGE while filtering; a page stops after this many reads so a rare filter cannot scan forever. */
const CHUNK = 200;
const MAX_READS_PER_PAGE = 25;

type StreamEntry = [id: string, fields: string[]];

export interface MergeOptions {
  /** In tie order: of two entries with one id, the earlier store's comes first. */
  stores: AuditStore[];
  /** XREVRANGE of one store from `end` (`+`, an id, or `(id`), at most `count` entries. */
  read(store: AuditStore, end: string, count: number): Promise<StreamEntry[]>;
  /** The last position of the previous page (a bare id: after it in every store), or null. */
  cursor: string | null;
  /** Called with each entry in order; false when the page is full. */
  take(position: string, fields: string[]): boolean;
}

/** Positive when stream id `a` is newer than `b` (ms and sequence are at most 15 and 10 digits: exact as numbers). */
function compareIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}

/** Feeds `take` until it says the page is full or every store is read; returns the cursor of the next page (null: no more). */
export async function mergeNewestFirst({ stores, read, cursor, take }: MergeOptions): Promise<string | null> {
  const [afterId, afterStore] = cursor ? cursor.split('@') : [];
  const rank = stores.indexOf(afterStore as AuditStore);
  const afterRank = rank >= 0 ? rank : stores.length;
  const sources = stores.map((store, index) => ({
    store,
    buffer: [] as StreamEntry[],
    done: false,
    // A store after the cursor's in tie order has not yet given its entry with the cursor's id, if any.
    end: afterId === undefined ? '+' : index > afterRank ? afterId : `(${afterId}`,
  }));
  let reads = 0;
  let last = cursor;
  for (;;) {
    const empty = sources.filter((s) => !s.buffer.length && !s.done);
    // Read the most one page may: hand back where it stopped so the reader can go on.
    if (empty.length && reads >= MAX_READS_PER_PAGE) return last;
    reads += empty.length;
    await Promise.all(
      empty.map(async (source) => {
        source.buffer = await read(source.store, source.end, CHUNK);
        source.done = source.buffer.length < CHUNK;
        const oldest = source.buffer[source.buffer.length - 1];
        if (oldest) source.end = `(${oldest[0]}`;
      }),
    );
    let newest: { source: (typeof sources)[number]; id: string } | null = null;
    for (const source of sources) {
      const id = source.buffer[0]?.[0];
      if (id !== undefined && (!newest || compareIds(id, newest.id) > 0)) newest = { source, id };
    }
    const entry = newest?.source.buffer.shift();
    if (!newest || !entry) return null;
    last = `${entry[0]}@${newest.source.store}`;
    if (!take(last, entry[1])) return last;
  }
}
