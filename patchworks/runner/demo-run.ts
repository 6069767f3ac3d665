// One scheduled run of one flow, as the `npm start` demos show it: the flow's state kept in a folder between runs as
// Patchworks keeps it, and the run log cut to the lines the demo is about.
import path from 'node:path';
import type { ClientConfig } from '../blueprint/client-config.js';
import { runClientFlows } from './run-flows.js';
import type { Sandbox } from './systems.js';

export interface DemoRun {
  root: string;
  client: ClientConfig;
  flowKey: string;
  /** Where the flow's data pools and caches are kept between runs, and each run's report (named by its time). */
  stateDir: string;
  /** Shared by the runs, so each sees what the one before left. */
  sandbox: Sandbox;
  asOf: string;
  /** The run-log lines to print, indented; the rest is left out. */
  worthShowing: RegExp;
}

export async function runDemoFlow(run: DemoRun): Promise<void> {
  await runClientFlows({
    root: run.root,
    client: run.client,
    flowKeys: [run.flowKey],
    poolsDir: run.stateDir,
    sandbox: run.sandbox,
    overrides: { as_of: run.asOf },
    reportFile: path.join(run.stateDir, `run-report-${run.asOf.slice(11, 16).replace(':', '')}.html`),
    log: (text) => {
      for (const line of text.split('\n')) if (run.worthShowing.test(line)) console.log(`  ${line.trim()}`);
    },
  });
}
