// The daily Lightspeed R-Series stock check: what the flow is for and its diagram are in README.md beside this.
import { stockCheckBlueprint } from '../../patchworks/blueprint/stock-check.js';
import { LIGHTSPEED_R_STOCK_FLOW } from '../lightspeed-r-stock-to-sparklayer/blueprint.js';

export default stockCheckBlueprint(LIGHTSPEED_R_STOCK_FLOW, {
  key: 'lightspeed-r-stock-check',
  backEnd: 'Lightspeed R-Series',
  dismissed: 'lightspeed-r-stock-check-dismissed',
});
