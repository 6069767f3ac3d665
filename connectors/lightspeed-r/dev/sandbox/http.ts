import { isJsonObject } from '../../../../runtime/json-object.js';

export async function readForm(request: Request): Promise<Record<string, string>> {
  const type = request.headers.get('content-type') ?? '';
  if (type.includes('application/json')) {
    const parsed = (await request.json().catch(() => ({}))) as unknown;
    return isJsonObject(parsed) ? Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)])) : {};
  }
  const form = await request.formData().catch(() => undefined);
  return form ? Object.fromEntries([...form].map(([k, v]) => [k, String(v)])) : {};
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

export function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain' } });
}
