/**
 * The Patchworks script contract (pack-contract §1; reference/patchworks.md §1.3–§1.4):
 * what a script step receives, what it returns, and the platform's limits.
 */

/** The `data` object Patchworks passes to a script and expects back. */
export interface PatchworksData {
  payload: string | null;
  variables?: Record<string, unknown>;
  meta?: Record<string, unknown>;
  flow?: { variables?: Record<string, unknown>; [key: string]: unknown };
  logs?: string[];
  [key: string]: unknown;
}

export type PatchworksHandler = (data: PatchworksData) => Promise<PatchworksData>;

export const PATCHWORKS_LIMITS = {
  /** All of `meta`, keys and values, must stay under this many bytes or the step fails. */
  metaBytes: 10_240,
  /** All `logs` entries together may hold at most this many characters. */
  logsChars: 500,
} as const;
