import { AxiosError, type AxiosAdapter } from 'axios';
import type { FakeApi } from '../../../../contracts/hosts.js';

/**
 * An axios adapter that hands each request to a fake API in-process (no socket): for the benchmark on virtual time,
 * where nothing but the pacer may take time.
 */
export function inProcessAdapter(api: FakeApi): AxiosAdapter {
  return async (config) => {
    const headers = new Headers();
    const raw = (config.headers as { toJSON?: () => Record<string, unknown> } | undefined)?.toJSON?.() ?? {};
    for (const [name, value] of Object.entries(raw))
      if (value !== undefined && value !== null) headers.set(name, String(value));
    const method = (config.method ?? 'get').toUpperCase();
    const request = new Request(config.url!, {
      method,
      headers,
      body: method === 'GET' || method === 'HEAD' ? undefined : (config.data as string | undefined),
    });
    const answer = await api.handle(request);
    if (answer === 'network-error') throw new AxiosError('socket hang up', 'ECONNRESET', config);
    const data = await answer.text();
    const responseHeaders: Record<string, string> = {};
    answer.headers.forEach((value, name) => (responseHeaders[name.toLowerCase()] = value));
    return {
      data,
      status: answer.status,
      statusText: answer.statusText,
      headers: responseHeaders,
      config,
      request: {},
    };
  };
}
