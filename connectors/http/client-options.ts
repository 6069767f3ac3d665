/** What every connector client takes for its timing and logging, so tests can drive the clock and the dice. */
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';

/** Sent on every request, so a vendor's support can see which integration called. */
export const PACK_USER_AGENT = 'sparklayer-patchworks-pack/0.1 (Patchworks connector pack)';

export interface ClientTimingOptions {
  userAgent?: string;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  /** Retry notices, already redacted. */
  log?: (line: string) => void;
}

export interface ClientTiming {
  userAgent: string;
  policy: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
  log: (line: string) => void;
}

export function clientTiming(options: ClientTimingOptions): ClientTiming {
  return {
    userAgent: options.userAgent ?? PACK_USER_AGENT,
    policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    log: options.log ?? (() => undefined),
  };
}
