// The daily NetSuite stock check: what the flow is for and its diagram are in README.md beside this.
import { stockCheckBlueprint } from '../../patchworks/blueprint/stock-check.js';
import { NETSUITE_STOCK_FLOW } from '../netsuite-stock-to-sparklayer/blueprint.js';

export default stockCheckBlueprint(NETSUITE_STOCK_FLOW, {
  key: 'netsuite-stock-check',
  backEnd: 'NetSuite',
  dismissed: 'netsuite-stock-check-dismissed',
});
