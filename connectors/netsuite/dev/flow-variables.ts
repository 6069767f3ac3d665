/** What a NetSuite order flow's variables must agree on (`pack validate`, through the registration). */
/**
 * NetSuite's upsert replaces only the sublists `replace` names and appends the lines of any other it carries (Updating
 * a Sublist, https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545295601.html): with SparkLayer's
 * tax the orders carry taxDetails, which must be named; with NetSuite's they carry none, and naming it is left out.
 */
export function replaceAgreesWithTaxMode(variables: Readonly<Record<string, string>>): string | undefined {
  const { tax_mode: taxMode, replace_sublists: replace } = variables;
  if (taxMode === undefined || replace === undefined) return undefined;
  const sublists = new Set(replace.split(',').map((name) => name.trim()));
  if (!sublists.has('item'))
    return `replace_sublists is "${replace}": it must name item, or a re-sent order doubles its lines`;
  if (taxMode === 'override' && !sublists.has('taxDetails'))
    return (
      `replace_sublists is "${replace}" with tax_mode override: add taxDetails, or a re-sent order doubles ` +
      `its tax details`
    );
  if (taxMode === 'netsuite' && sublists.has('taxDetails'))
    return `replace_sublists is "${replace}" with tax_mode netsuite: the orders carry no tax details; set it to item`;
  return undefined;
}
