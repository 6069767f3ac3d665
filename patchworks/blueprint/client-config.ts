/**
 * A client's configuration, `clients/<client>.json`: which blueprints the client runs, that client's flow variables
 * (per flow, over the blueprint's defaults) and its cross-reference lookups (pack-contract §3: `{ "left": "right" }`),
 * per flow or shared: an account map holds NetSuite IDs for one flow and Lightspeed customer ids for another; and,
 * per back-end, which source books its orders (`order_source`).
 * Parsed once with zod; `resolveFlow` then gives a blueprint exactly the variables and lookups it declares, or says
 * what the client's config is missing.
 */
import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { BACKENDS, type Backend } from '../../connectors/backends.js';
import { parseTable, TableError } from '../../runtime/tables.js';
import { fillPlaceholders, lookupText, type Blueprint } from './blueprint.js';

const lookupTable = z.record(z.string(), z.string()).superRefine((table, ctx) => {
  try {
    parseTable(table);
  } catch (error) {
    if (!(error instanceof TableError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
  }
});

/**
 * Who books a back-end's B2B orders: the pack's SparkLayer order flow, or the platform's own flow (e.g. Shopify to
 * NetSuite). One only: SparkLayer's checkout sends each order to the platform and keeps it as a purchase, so two
 * sources book it twice (docs/guide/clients.md).
 */
export const ORDER_SOURCES = ['sparklayer', 'platform'] as const;

const BACKEND_KEYS = Object.keys(BACKENDS) as [Backend, ...Backend[]];

export const clientConfigSchema = z.strictObject({
  /** The folder name under dist/blueprints/: kebab-case. */
  client: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case'),
  /** The client's company name, as on the flows it gets. */
  name: z.string().min(1),
  flows: z.record(
    z.string(),
    z.strictObject({
      variables: z.record(z.string(), z.string()).default({}),
      /** This flow's own lookups; they win over the shared ones of the same name. */
      lookups: z.record(z.string(), lookupTable).default({}),
    }),
  ),
  /** Lookups several flows share (e.g. a unit map); a flow's own `lookups` win. */
  lookups: z.record(z.string(), lookupTable).default({}),
  /** Per back-end the client books orders into, the source that books them; `pack validate` holds the flows to it. */
  order_source: z.partialRecord(z.enum(BACKEND_KEYS), z.enum(ORDER_SOURCES), {
    error: (issue) =>
      issue.input === undefined
        ? `must say, per back-end the client books orders into (${BACKEND_KEYS.join(', ')}), which source books ` +
          `them: ${ORDER_SOURCES.join(' or ')}, e.g. { "netsuite": "sparklayer" } (docs/guide/clients.md)`
        : undefined,
  }),
});

export type ClientConfig = z.output<typeof clientConfigSchema>;

export async function loadClientConfig(file: string): Promise<ClientConfig> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`client config ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = clientConfigSchema.safeParse(json);
  if (!parsed.success) throw new Error(`client config ${file}:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export interface ResolvedFlow {
  variables: Record<string, string>;
  lookups: Record<string, Record<string, string>>;
  /** Where each lookup came from, for the rendered CSV's name: `shared` or the flow's key. */
  lookupOwners: Record<string, string>;
}

/** The blueprint's variables for this client (client value, else default) and its lookups; every gap, named. */
export function resolveFlow(blueprint: Blueprint, client: ClientConfig): ResolvedFlow {
  const problems: string[] = [];
  const flow = client.flows[blueprint.key];
  const given = flow?.variables ?? {};
  if (!client.flows[blueprint.key]) problems.push(`it has no "flows.${blueprint.key}" entry`);
  for (const name of Object.keys(given)) {
    if (!(name in blueprint.variables))
      problems.push(
        `"flows.${blueprint.key}.variables.${name}" is not a variable of this flow ` +
          `(it has ${Object.keys(blueprint.variables).join(', ')})`,
      );
  }
  const variables: Record<string, string> = {};
  for (const [name, variable] of Object.entries(blueprint.variables)) {
    const value = given[name] ?? variable.default;
    if (value === undefined)
      problems.push(`"flows.${blueprint.key}.variables.${name}" must be set: ${variable.description}`);
    else variables[name] = value;
  }
  for (const name of Object.keys(flow?.lookups ?? {})) {
    if (!(name in blueprint.lookups))
      problems.push(
        `"flows.${blueprint.key}.lookups.${name}" is not a lookup of this flow ` +
          `(it has ${Object.keys(blueprint.lookups).join(', ')})`,
      );
  }
  const lookups: Record<string, Record<string, string>> = {};
  const lookupOwners: Record<string, string> = {};
  for (const [name, lookup] of Object.entries(blueprint.lookups)) {
    const own = flow?.lookups[name];
    const table = own ?? client.lookups[name];
    if (table) {
      lookups[name] = table;
      lookupOwners[name] = own ? blueprint.key : 'shared';
    } else if (lookup.required) {
      problems.push(
        `lookup "${name}" must be given in "flows.${blueprint.key}.lookups" or the shared "lookups": ` +
          `${lookup.description}`,
      );
    } else {
      lookups[name] = {};
      lookupOwners[name] = blueprint.key;
    }
  }
  if (problems.length > 0) throw new Error(`client ${client.client}, flow ${blueprint.key}: ${problems.join('; ')}`);
  return { variables, lookups, lookupOwners };
}

/**
 * A shape value with this client's flow variables and lookups filled in; `[[payload.*]]` and `[[meta.*]]` stay as
 * written, for the run to fill.
 */
export function fillForClient(text: string, resolved: ResolvedFlow): string {
  return fillPlaceholders(text, (placeholder) => {
    if (placeholder.kind === 'flow.variables') return resolved.variables[placeholder.name];
    if (placeholder.kind === 'lookups') return lookupText(placeholder.name, resolved.lookups);
    return undefined;
  });
}
