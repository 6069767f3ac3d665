// Runs on a bare Node (18 for the benchmark) with --max-old-space-size: times one job on a payload read from
// a file and reports the process's peak memory. Job "floor" parses and stringifies the payload, which no
// step can beat; job "steps" runs the given built scripts one after the other, as a Patchworks flow would.
// argv: job, payloadFile, then for "steps" a JSON list of [bundlePath, variables] and, optionally, a file
// to write the last payload to (for the next script, in its own process).
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');

async function main() {
  const [job, payloadFile, stepsJson, outFile] = process.argv.slice(2);
  const payload = readFileSync(payloadFile, 'utf8');
  const start = process.hrtime.bigint();
  let out = payload;
  if (job === 'floor') {
    out = JSON.stringify(JSON.parse(payload));
  } else {
    for (const [bundle, variables] of JSON.parse(stepsJson)) {
      const result = await require(bundle)({ payload: out, variables, meta: {}, flow: { variables: {} } });
      out = result.payload;
    }
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (outFile) writeFileSync(outFile, out);
  process.stdout.write(JSON.stringify({ ms, peakMb: process.resourceUsage().maxRSS / 1024, outBytes: out.length }));
}

main().catch((error) => {
  process.stdout.write(JSON.stringify({ error: String(error && error.message ? error.message : error) }));
  process.exitCode = 1;
});
