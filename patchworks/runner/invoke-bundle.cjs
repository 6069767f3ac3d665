// Loads a built script the way Patchworks does (require it, call module.exports with `data`) on
// whichever Node runs this file. Plain CommonJS so that a bare Node 18 runs it.
// stdin: {"bundle": "<path>", "data": {...}}  stdout: {"exportType", "requires", "result"} or {"error"}
'use strict';
const Module = require('node:module');
const path = require('node:path');

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const { bundle, data } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const bundlePath = path.resolve(bundle);

  // Record every module the bundle itself asks for while it loads and runs.
  const requires = new Set();
  const originalLoad = Module._load;
  Module._load = function load(request, parent, isMain) {
    if (parent && parent.filename === bundlePath) requires.add(request);
    return originalLoad.call(this, request, parent, isMain);
  };

  const handler = require(bundlePath);
  const report = { node: process.version, exportType: typeof handler, requires: [] };
  if (typeof handler === 'function') {
    try {
      report.result = await handler(data);
    } catch (error) {
      report.error = error instanceof Error ? error.message : String(error);
    }
  }
  report.requires = [...requires];
  process.stdout.write(JSON.stringify(report));
}

main().catch((error) => {
  process.stdout.write(JSON.stringify({ fatal: String(error && error.stack ? error.stack : error) }));
  process.exitCode = 1;
});
