import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface Route {
  GET(request: Request): Promise<Response>;
  POST(request: Request): Promise<Response>;
}

export interface Served {
  /** `http://127.0.0.1:<port>`: what the CLI is given as its URL. */
  base: string;
  close(): Promise<void>;
}

/**
 * The tRPC route handler served over a loopback http server, as Next serves it: for the CLI's
 * tests, which speak HTTP to it (Node request → the handler's Request, its Response back).
 */
export async function serveTrpc(route: Route): Promise<Served> {
  let base = '';
  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
    const request = new Request(`${base}${req.url ?? '/'}`, { method: req.method, headers, body: req.method === 'POST' ? Buffer.concat(chunks) : undefined });
    const response = await (req.method === 'POST' ? route.POST : route.GET)(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  }
  const server = http.createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
