/** lightspeed-r endpoints as connection shapes (patchworks/runner/flow-endpoint.ts), by operationId in openapi.json. */
import type { ConnectorEndpoints } from '../../patchworks/runner/flow-endpoint.js';
import type { LightspeedRClient } from './client.js';

export const lightspeedREndpoints: ConnectorEndpoints<LightspeedRClient> = {};
