/**
 * A minimal server-sent-events reader over fetch, for the bench: it sees each event the moment its
 * bytes arrive (no EventSource reconnect logic, no buffering beyond one chunk).
 */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

export async function openSse(url: string, headers: Record<string, string>, signal: AbortSignal, onEvent: (e: SseEvent) => void): Promise<{ status: number; done: Promise<void>; close(): Promise<void> }> {
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal });
  if (res.status !== 200 || !res.body) return { status: res.status, done: Promise.resolve(), close: async () => {} };
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const done = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) return;
        buffer += decoder.decode(chunk.value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const e: SseEvent = { event: 'message', data: '' };
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) e.event = line.slice(7);
            else if (line.startsWith('data: ')) e.data += line.slice(6);
            else if (line.startsWith('id: ')) e.id = line.slice(4);
          }
          onEvent(e);
        }
      }
    } catch {
      // aborted: the bench closed the stream
    }
  })();
  // Cancelling the reader ends the loop above at once (an abort alone may leave its read pending).
  return { status: res.status, done, close: () => reader.cancel().then(() => done, () => done) };
}
