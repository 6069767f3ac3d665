/**
 * map-order-to-lightspeed-x: a SparkLayer order with its erp_account becomes the body of Lightspeed X-Series'
 * POST /api/2026-07/sales, under a sale id derived from the purchase id so that a re-run updates the same sale. All the
 * work is the shared map-order step and the X-Series mapper; see connectors/lightspeed-x/sale-mapper.ts.
 */
import { lightspeedXSaleMapper } from '../sale-mapper.js';
import { defineMapOrderStep } from '../../../scripts/map-order-step.js';

export const step = defineMapOrderStep(lightspeedXSaleMapper);
