/**
 * Hosts for a fake vendor API (anything with `handle(Request) → Response | 'network-error'`):
 * msw handlers for in-process tests and the local runner, and a loopback HTTP server for a separate
 * process such as `npm run record`.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { http, HttpResponse, type HttpHandler } from 'msw';

export interface FakeApi {
  handle(request: Request): Promise<Response | 'network-error'>;
}

/** msw handlers answering every request under `baseUrl` from the fake API. */
export function mswHandlers(baseUrl: string, api: FakeApi): HttpHandler[] {
  return [
    http.all(`${baseUrl}/*`, async ({ request }) => {
      const answer = await api.handle(request);
      return answer === 'network-error' ? HttpResponse.error() : answer;
    }),
  ];
}

/** Serves the fake API on 127.0.0.1 at a free port; a network fault drops the connection. */
export async function serveOnLoopback(api: FakeApi): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((incoming, outgoing) => {
    void (async () => {
      const request = await toFetchRequest(incoming);
      const answer = await api.handle(request);
      if (answer === 'network-error') {
        incoming.socket.destroy();
        return;
      }
      outgoing.writeHead(answer.status, Object.fromEntries(answer.headers));
      outgoing.end(Buffer.from(await answer.arrayBuffer()));
    })().catch((error: unknown) => {
      outgoing.writeHead(500, { 'Content-Type': 'text/plain' });
      outgoing.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function toFetchRequest(incoming: IncomingMessage): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return new Request(`http://${incoming.headers.host ?? '127.0.0.1'}${incoming.url ?? '/'}`, {
    method: incoming.method,
    headers,
    body: incoming.method === 'GET' || incoming.method === 'HEAD' ? undefined : body,
  });
}
