/**
 * A local flow run as Patchworks' run log shows it (each shape, payloads in and out, what it did), a one-line summary
 * per flow, and an HTML run report with what every shape output, for a consultant to read before go-live.
 */
import type { FlowRunResult } from '../runner/flow-runner.js';
import { escapeHtml } from './html.js';

/** The status and the four figures a consultant looks at first. */
export function summaryLine(result: FlowRunResult): string {
  const { counts } = result;
  const also = [
    ...(counts.updated ? [`${counts.updated} updated`] : []),
    ...(counts.unchanged ? [`${counts.unchanged} already there`] : []),
    ...(result.heldWrites.length ? [`${result.heldWrites.length} writes held (--live)`] : []),
  ];
  return (
    `${result.flow}: ${counts.in} records in, ${counts.created} created, ${counts.skipped} skipped, ` +
    `${counts.exceptions} exceptions${also.length ? `; ${also.join(', ')}` : ''} (${result.status.replace('_', ' ')})`
  );
}

export function runLog(result: FlowRunResult): string[] {
  const lines: string[] = [];
  for (const shape of result.shapes) {
    const depth = shape.position.split('.').length - 1;
    const indent = '  '.repeat(Math.ceil(depth / 2));
    const flow =
      shape.type === 'trigger'
        ? ''
        : `${shape.payloadsIn} -> ${shape.payloadsOut}${shape.failed ? `, ${shape.failed} failed` : ''}`;
    lines.push(`${indent}[${shape.position}] ${shape.type} "${shape.name}" ${flow}`.trimEnd());
    for (const note of shape.notes) lines.push(`${indent}    ${note}`);
  }
  for (const write of result.heldWrites) lines.push(`  held (--live): ${write}`);
  if (result.error) lines.push(`  FLOW FAILED: ${result.error}`);
  lines.push(summaryLine(result));
  return lines;
}

/** Shown outputs are cut at this many characters per shape, so a large run still opens in a browser. */
const OUTPUT_LIMIT = 20_000;

export function runReportHtml(results: readonly FlowRunResult[], title: string): string {
  const flows = results.map((result) => {
    const rows = result.shapes
      .map((shape) => {
        const outputs = shape.outputs.map((payload) => prettyJson(payload.body)).join('\n\n');
        const shown =
          outputs.length > OUTPUT_LIMIT
            ? `${outputs.slice(0, OUTPUT_LIMIT)}\n… (${outputs.length - OUTPUT_LIMIT} more characters)`
            : outputs;
        const details = shown
          ? `<details><summary>output (${shape.outputs.length} payloads)</summary>` +
            `<pre>${escapeHtml(shown)}</pre></details>`
          : '';
        return (
          `<tr class="${shape.failed ? 'problem' : ''}"><td>${escapeHtml(shape.position)}</td>` +
          `<td>${escapeHtml(shape.type)}</td><td>${escapeHtml(shape.name)}</td>` +
          `<td>${shape.payloadsIn}</td><td>${shape.payloadsOut}</td><td>${shape.failed}</td>` +
          `<td>${shape.notes.map(escapeHtml).join('<br>')}${details}</td></tr>`
        );
      })
      .join('\n');
    const notices = result.notifications
      .map((n) => `<li class="${escapeHtml(n.level)}">${escapeHtml(`${n.level}: ${n.message}`)}</li>`)
      .join('\n');
    const heldWrites = result.heldWrites.map((w) => `<li>${escapeHtml(w)}</li>`).join('');
    return (
      `<section><h2>${escapeHtml(result.flow)}</h2>
<p class="${result.status === 'success' ? 'ok' : 'problem'}">${escapeHtml(summaryLine(result))}</p>
${result.error ? `<p class="problem">${escapeHtml(result.error)}</p>` : ''}
<table><thead><tr><th>shape</th><th>type</th><th>name</th><th>in</th>` +
      `<th>out</th><th>failed</th><th>what it did</th></tr></thead><tbody>
${rows}
</tbody></table>
${notices ? `<h3>Notifications</h3><ul>${notices}</ul>` : ''}
${result.heldWrites.length ? `<h3>Writes held back (--live)</h3><ul>${heldWrites}</ul>` : ''}
</section>`
    );
  });
  return (
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b}` +
    `table{border-collapse:collapse;font-size:.85rem;margin-bottom:1rem}
th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}th{background:#f3f3f3}
tr.problem td,p.problem{background:#fff4e5}p.ok{background:#eef8ee}li.error{color:#a00}li.warning{color:#8a5a00}
pre{max-height:24rem;overflow:auto;background:#fafafa;padding:.5rem}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<ul>${results.map((r) => `<li>${escapeHtml(summaryLine(r))}</li>`).join('')}</ul>
${flows.join('\n')}
</body></html>
`
  );
}

function prettyJson(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
