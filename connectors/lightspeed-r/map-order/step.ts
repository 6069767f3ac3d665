/**
 * map-order-to-lightspeed-r: a SparkLayer order with its erp_account (the R-Series customer ID) becomes the body of
 * R-Series' Sale POST (POST /API/V3/Account/{accountID}/Sale.json). All the work is the shared map-order step and the
 * R-Series mapper; see connectors/lightspeed-r/sale-mapper.ts.
 */
import { lightspeedRSaleMapper } from '../sale-mapper.js';
import { defineMapOrderStep } from '../../../scripts/map-order-step.js';

export const step = defineMapOrderStep(lightspeedRSaleMapper);
