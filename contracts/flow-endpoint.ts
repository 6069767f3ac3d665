/**
 * What a connection shape does with one incoming payload, per connector endpoint (an operationId in the connector's
 * openapi.json), through the pack's real client for that system. Each connector declares its own in
 * `connectors/<system>/dev/flow-endpoints.ts`; the local flow runner calls them.
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

interface EndpointBase {
  /** The request, in a line, for the run log (a `--live` run prints a write instead of sending it). */
  describe(request: EndpointRequest): string;
}

export interface ReadEndpoint<Client> extends EndpointBase {
  access: 'read';
  /** The payloads the shape outputs: a paginated pull gives one per page. */
  call(client: Client, request: EndpointRequest): Promise<unknown[]>;
}

/**
 * A write changes the system. A connector's writes are only described here: the flows' writes run through the built
 * definitions (connection-engine.ts), and `--live` holds every write, printing this line. Only in-memory endpoints in
 * the runner's own tests carry a `call`. The shape passes its incoming payload on, as Patchworks does by default.
 */
export interface WriteEndpoint<Client> extends EndpointBase {
  access: 'write';
  call?(client: Client, request: EndpointRequest): Promise<WriteOutcome>;
}

export type FlowEndpoint<Client> = ReadEndpoint<Client> | WriteEndpoint<Client>;

export type ConnectorEndpoints<Client> = Record<string, FlowEndpoint<Client>>;

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
