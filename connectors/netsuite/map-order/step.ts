/**
 * map-order-to-netsuite: a SparkLayer order with its erp_account becomes the body for NetSuite's sales
 * order upsert (PUT /record/v1/salesOrder/eid:<purchase id>). All the work is the shared map-order step and
 * the NetSuite mapper; see connectors/netsuite/sales-order-mapper.ts.
 */
import { netsuiteOrderMapper } from '../sales-order-mapper.js';
import { defineMapOrderStep } from '../../../scripts/map-order-step.js';

export const step = defineMapOrderStep(netsuiteOrderMapper);
