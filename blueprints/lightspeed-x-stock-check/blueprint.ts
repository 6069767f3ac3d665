// The daily Lightspeed X-Series stock check: what the flow is for and its diagram are in README.md beside this.
import { stockCheckBlueprint } from '../../patchworks/blueprint/stock-check.js';
import { LIGHTSPEED_X_STOCK_FLOW } from '../lightspeed-x-stock-to-sparklayer/blueprint.js';

export default stockCheckBlueprint(LIGHTSPEED_X_STOCK_FLOW, {
  key: 'lightspeed-x-stock-check',
  backEnd: 'Lightspeed X-Series',
  dismissed: 'lightspeed-x-stock-check-dismissed',
});
