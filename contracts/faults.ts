/** Faults a fake vendor API plays instead of answering: an error status, or a dropped connection. */

export type Fault = { status: number; headers?: Record<string, string>; body?: unknown } | { network: 'reset' };

/** The answer, or a dropped connection (each host turns that into its own kind of network failure). */
export type SandboxAnswer = Response | 'network-error';

export class FaultQueue {
  private readonly queued: Array<{ route: string; fault: Fault }> = [];

  /** Queue a fault for the next `times` calls of a route, e.g. `GET /api/v1/purchases`. */
  add(route: string, fault: Fault, times = 1): void {
    for (let i = 0; i < times; i += 1) this.queued.push({ route, fault });
  }

  /** The next queued fault for this route, as the answer it gives; undefined when none is queued. */
  take(route: string): SandboxAnswer | undefined {
    const index = this.queued.findIndex((entry) => entry.route === route);
    if (index < 0) return undefined;
    return faultAnswer(this.queued.splice(index, 1)[0]!.fault);
  }
}

/** The answer a fault gives: its status (and JSON body), or a dropped connection. */
function faultAnswer(fault: Fault): SandboxAnswer {
  if ('network' in fault) return 'network-error';
  if (fault.body === undefined) return new Response(null, { status: fault.status, headers: fault.headers });
  return new Response(JSON.stringify(fault.body), {
    status: fault.status,
    headers: { 'Content-Type': 'application/json', ...fault.headers },
  });
}

/**
 * Faults around any fake, for flow-level fault injection: played instead of the fake's answer, or after the fake has
 * done the work (the request was accepted and applied, then the answer was lost: the case that makes a retry book an
 * order twice), or as a delay before the fake answers (a client timeout). A route is `<METHOD> <path>`, matched
 * against the end of the request's path, so a base path (NetSuite's /services/rest) need not be spelt out.
 */
export type InjectedFault = Fault | { delayMs: number };

interface Planned {
  method: string;
  pathSuffix: string;
  fault: InjectedFault;
  when: 'instead' | 'after';
  /** Matching requests to let through untouched first. */
  skip: number;
}

export class FaultInjector {
  private readonly planned: Planned[] = [];
  /** The faults played so far, as `<METHOD> <path>: <fault>`, for a test to check each one happened. */
  readonly played: string[] = [];

  constructor(private readonly api: { handle(request: Request): Promise<SandboxAnswer> }) {}

  add(route: string, fault: InjectedFault, options: { times?: number; when?: 'instead' | 'after'; skip?: number } = {}): void {
    const [method, pathSuffix] = route.split(' ') as [string, string];
    for (let i = 0; i < (options.times ?? 1); i += 1) this.planned.push({ method, pathSuffix, fault, when: options.when ?? 'instead', skip: options.skip ?? 0 });
  }

  async handle(request: Request): Promise<SandboxAnswer> {
    const { pathname } = new URL(request.url);
    const matching = this.planned.filter((p) => p.method === request.method && decodeURIComponent(pathname).endsWith(p.pathSuffix));
    const waiting = matching.find((p) => p.skip > 0);
    if (waiting) {
      for (const p of matching) p.skip -= 1;
      return this.api.handle(request);
    }
    const next = matching[0];
    if (!next) return this.api.handle(request);
    this.planned.splice(this.planned.indexOf(next), 1);
    this.played.push(`${request.method} ${decodeURIComponent(pathname)}: ${describeFault(next.fault)}${next.when === 'after' ? ' after the work' : ''}`);
    if ('delayMs' in next.fault) {
      await new Promise((resolve) => setTimeout(resolve, (next.fault as { delayMs: number }).delayMs));
      return this.api.handle(request);
    }
    if (next.when === 'after') await this.api.handle(request);
    return faultAnswer(next.fault);
  }
}

function describeFault(fault: InjectedFault): string {
  if ('delayMs' in fault) return `${fault.delayMs} ms late`;
  if ('network' in fault) return 'connection reset';
  return `HTTP ${fault.status}`;
}
