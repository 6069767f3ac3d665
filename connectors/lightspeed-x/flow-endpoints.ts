/** lightspeed-x endpoints as connection shapes (patchworks/runner/flow-endpoint.ts), by operationId in openapi.json. */
import type { ConnectorEndpoints } from '../../patchworks/runner/flow-endpoint.js';
import type { LightspeedXClient } from './client.js';

export const lightspeedXEndpoints: ConnectorEndpoints<LightspeedXClient> = {};
