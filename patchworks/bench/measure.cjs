// Runs on a bare Node (18 for the benchmark) with --max-old-space-size: times one job on a payload read from
// a file and reports the process's peak resident memory (maxRSS). Job "floor" parses and stringifies the
// payload, which no step can beat; job "steps" runs the given built scripts one after the other, as a
// Patchworks flow would.
// argv: job, payloadFile, then for "steps" a file holding a JSON list of [bundlePath, variables] ("-" for
// "floor") and, optionally, a file to write the last payload to (for the next script, in its own process).
// The report goes to fd 3, not stdout: the bench runs this with --trace-gc, whose lines (on stdout) give the
// V8 heap's peak, the heap in use when each collection starts (see steps.ts). heapUsedMb is the heap in use at
// the end, the peak's last candidate.
'use strict';
const { readFileSync, writeFileSync, writeSync } = require('node:fs');

function report(result) {
  writeSync(3, JSON.stringify(result));
}

async function main() {
  const [job, payloadFile, stepsFile, outFile] = process.argv.slice(2);
  const steps = job === 'floor' ? [] : JSON.parse(readFileSync(stepsFile, 'utf8'));
  const payload = readFileSync(payloadFile, 'utf8');
  const start = process.hrtime.bigint();
  let out = payload;
  if (job === 'floor') {
    out = JSON.stringify(JSON.parse(payload));
  } else {
    for (const [bundle, variables] of steps) {
      const result = await require(bundle)({ payload: out, variables, meta: {}, flow: { variables: {} } });
      out = result.payload;
    }
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (outFile) writeFileSync(outFile, out);
  const heapUsedMb = process.memoryUsage().heapUsed / 1024 / 1024;
  report({ ms, peakMb: process.resourceUsage().maxRSS / 1024, heapUsedMb, outBytes: out.length });
}

main().catch((error) => {
  report({ error: String(error && error.message ? error.message : error) });
  process.exitCode = 1;
});
