/**
 * What the pack says of each connector endpoint (an operationId in the connector's openapi.json) beside its built
 * definition: whether a connection shape on it reads or writes, and its request in a line. Each connector declares
 * its own in `connectors/<system>/dev/flow-endpoints.ts`; `pack validate` checks blueprints against them, and a
 * `--live` run prints a held write by its `describe`. The requests themselves run as the built definitions describe
 * them (patchworks/runner/connection-engine.ts).
 */
export interface EndpointRequest {
  /** The incoming payload, parsed (JSON), or null for a pull at the start of a flow. */
  payload: unknown;
  /** The shape's variables with every placeholder filled in. */
  variables: Record<string, string>;
}

/**
 * What a write did: made a record, changed one that was there, or found it already there and sent nothing. An upsert
 * whose answer does not say which (NetSuite's PUT by external id) reports `created`.
 */
export type WriteOutcome = 'created' | 'updated' | 'unchanged';

/**
 * A write changes the system: a `--live` run holds it, printing `describe`'s line, and the shape passes its incoming
 * payload on, as Patchworks does by default.
 */
export interface FlowEndpoint {
  access: 'read' | 'write';
  /** The request, in a line, for the run log. */
  describe(request: EndpointRequest): string;
}

export type ConnectorEndpoints = Record<string, FlowEndpoint>;

/** A variable the endpoint cannot do without; the message names the shape's variable. */
export function requiredVariable(request: EndpointRequest, name: string): string {
  const value = request.variables[name]?.trim();
  if (!value)
    throw new Error(
      `the connection shape's variable "${name}" is empty: set it in the blueprint (it may name [[payload.<field>]])`,
    );
  return value;
}

/** A write's payload: the one JSON object it sends. */
export function objectPayload(request: EndpointRequest): Record<string, unknown> {
  const { payload } = request;
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new Error(
      `a write sends one JSON object per payload, got ` +
        `${Array.isArray(payload) ? 'an array' : JSON.stringify(payload)?.slice(0, 80)}: split the records ` +
        `with a flow-control shape of size 1 first`,
    );
  }
  return payload as Record<string, unknown>;
}
