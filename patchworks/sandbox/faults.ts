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
    const { fault } = this.queued.splice(index, 1)[0]!;
    if ('network' in fault) return 'network-error';
    if (fault.body === undefined) return new Response(null, { status: fault.status, headers: fault.headers });
    return new Response(JSON.stringify(fault.body), {
      status: fault.status,
      headers: { 'Content-Type': 'application/json', ...fault.headers },
    });
  }
}
