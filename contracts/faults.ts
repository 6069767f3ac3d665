/**
 * The one way a test makes a fake vendor API misbehave. A `FaultPlan` holds faults for routes and plays them: instead
 * of the fake's answer (an error status, a dropped connection), after the fake has done the work (the request was
 * accepted and applied, then the answer was lost: the case that makes a retry book an order twice), or as a delay
 * before the fake answers (a client timeout).
 *
 * Every fake holds one (`fake.faults`, and `fake.failNext(route, fault, times)` as a shorthand) and plays it where the
 * real API would fail: after authentication, after its rate limiter has counted the request. A `FaultInjector` is the
 * same plan put around a whole fake, before the fake sees the request (the flow runner's fault injection). Either way a
 * route is `<METHOD> <path>`, matched against the end of the request's path, so a base path (NetSuite's /services/rest,
 * R-Series' /API/V3/Account/<id>) need not be spelt out; faults for a route play in the order they were added.
 */

/** A status with a JSON `body`, or with an `html` page (a gateway's or proxy's error page); or a dropped connection. */
export type Fault =
  { status: number; headers?: Record<string, string>; body?: unknown; html?: string } | { network: 'reset' };

/** A fault, or a delay before the fake answers. */
export type InjectedFault = Fault | { delayMs: number };

/** The answer, or a dropped connection (each host turns that into its own kind of network failure). */
export type SandboxAnswer = Response | 'network-error';

export interface FaultOptions {
  /** Play it for this many matching requests (1). */
  times?: number;
  /** Instead of the fake's answer (default), or after the fake has done the work. */
  when?: 'instead' | 'after';
  /** Matching requests to let through untouched first (0). */
  skip?: number;
}

interface Planned {
  method: string;
  pathSuffix: string;
  fault: InjectedFault;
  when: 'instead' | 'after';
  skip: number;
}

export class FaultPlan {
  private readonly planned: Planned[] = [];
  /** The faults played so far, as `<METHOD> <path>: <fault>`, for a test to check each one happened. */
  readonly played: string[] = [];

  /** Plans a fault for the next matching requests of a route, e.g. `GET /api/v1/purchases`. */
  add(route: string, fault: InjectedFault, options: FaultOptions = {}): void {
    const [method, pathSuffix] = route.split(' ') as [string, string];
    for (let i = 0; i < (options.times ?? 1); i += 1)
      this.planned.push({ method, pathSuffix, fault, when: options.when ?? 'instead', skip: options.skip ?? 0 });
  }

  /** Answers a request for `path` with `answer` (the fake's own), playing the next fault planned for it around that. */
  async play(
    method: string,
    path: string,
    answer: () => SandboxAnswer | Promise<SandboxAnswer>,
  ): Promise<SandboxAnswer> {
    const decoded = decodePath(path);
    const matching = this.planned.filter(
      (p) => p.method === method && (decoded.endsWith(p.pathSuffix) || path.endsWith(p.pathSuffix)),
    );
    const waiting = matching.find((p) => p.skip > 0);
    if (waiting) {
      for (const p of matching) p.skip -= 1;
      return answer();
    }
    const next = matching[0];
    if (!next) return answer();
    this.planned.splice(this.planned.indexOf(next), 1);
    this.played.push(
      `${method} ${decoded}: ${describeFault(next.fault)}${next.when === 'after' ? ' after the work' : ''}`,
    );
    if ('delayMs' in next.fault) {
      await new Promise((resolve) => setTimeout(resolve, (next.fault as { delayMs: number }).delayMs));
      return answer();
    }
    if (next.when === 'after') await answer();
    return faultAnswer(next.fault);
  }
}

/** A fault plan around a whole fake: played before the fake sees the request. */
export class FaultInjector extends FaultPlan {
  constructor(private readonly api: { handle(request: Request): Promise<SandboxAnswer> }) {
    super();
  }

  handle(request: Request): Promise<SandboxAnswer> {
    return this.play(request.method, new URL(request.url).pathname, () => this.api.handle(request));
  }
}

/** The answer a fault gives: its status (and JSON body or HTML page), or a dropped connection. */
function faultAnswer(fault: Fault): SandboxAnswer {
  if ('network' in fault) return 'network-error';
  if (fault.html !== undefined)
    return new Response(fault.html, {
      status: fault.status,
      headers: { 'Content-Type': 'text/html', ...fault.headers },
    });
  if (fault.body === undefined) return new Response(null, { status: fault.status, headers: fault.headers });
  return new Response(JSON.stringify(fault.body), {
    status: fault.status,
    headers: { 'Content-Type': 'application/json', ...fault.headers },
  });
}

function describeFault(fault: InjectedFault): string {
  if ('delayMs' in fault) return `${fault.delayMs} ms late`;
  if ('network' in fault) return 'connection reset';
  return `HTTP ${fault.status}`;
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
