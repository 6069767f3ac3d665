/**
 * `npm run bench`: measured figures, not timed unit tests. Today: how close each rate-limited client runs to
 * its vendor's limit, at the REAL limits, in virtual time (the client and the fake vendor share a clock that
 * sleeping advances), so minutes of traffic are measured in milliseconds. Writes dist/bench/latest.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { measureThroughput as measureX } from '../../connectors/lightspeed-x/throughput.js';
import { measureThroughput as measureR } from '../../connectors/lightspeed-r/throughput.js';

const runs = [
  {
    client: 'Lightspeed X-Series',
    limit: '350 requests per 5 minutes (300 per register + 50, one register)',
    result: await measureX({ requests: 1_000, budget: 350, windowMs: 300_000, virtualTime: true }),
  },
  {
    client: 'Lightspeed R-Series',
    limit: 'leaky bucket: 90 capacity, drip 1 request/s',
    result: await measureR({ requests: 500, capacity: 90, dripPerSecond: 1, virtualTime: true }),
  },
];

const rows = runs.map(({ client, limit, result }) => ({
  client,
  limit,
  requests: result.requests,
  'virtual seconds': (result.elapsedMs / 1000).toFixed(1),
  'allowed/s': result.allowedPerSecond.toFixed(3),
  'achieved/s': result.achievedPerSecond.toFixed(3),
  'share of limit': `${(result.ratio * 100).toFixed(1)} %`,
  '429s': result.rejected,
}));
console.log('Rate-limited clients against fakes enforcing the real limits (virtual time):');
console.table(rows);

const out = path.join('dist', 'bench');
await mkdir(out, { recursive: true });
await writeFile(path.join(out, 'latest.json'), `${JSON.stringify({ rateLimitedClients: runs }, null, 2)}\n`);
console.log(`wrote ${path.join(out, 'latest.json')}`);
