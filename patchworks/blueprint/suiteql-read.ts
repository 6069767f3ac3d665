/** A NetSuite SuiteQL read as the NetSuite flows declare it, once. */
import type { ShapeInput } from './blueprint.js';

/**
 * The query as the body runSuiteQL sends, then the call that pages through its rows (limit and offset until hasMore
 * is false), `pageSize` the flow variable holding the rows per page. A read is safe to send again: Patchworks' most
 * retries.
 */
export function suiteQLRead(queryName: string, q: string, read: string, pageSize: string): ShapeInput[] {
  return [
    { type: 'manual-payload', name: queryName, payload: JSON.stringify({ q }) },
    {
      type: 'connection',
      name: read,
      connector: 'netsuite',
      endpoint: 'runSuiteQL',
      variables: { limit: `{{flow.variables.${pageSize}}}` },
      retries: 2,
    },
  ];
}
