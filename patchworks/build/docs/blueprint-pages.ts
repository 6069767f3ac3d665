/**
 * docs/blueprints/<flow-key>.md, one page per blueprint, and docs/blueprints/README.md, their index: generated from
 * the blueprint (blueprints/<flow-key>/blueprint.ts: purpose, schedule, shapes, flow variables, lookups). What happens
 * when something fails and on a re-run stays hand-written in the blueprint's own README, which the page links.
 */
import {
  connectorsUsed,
  placeholdersIn,
  stepsUsed,
  walkShapes,
  type Blueprint,
  type Shape,
} from '../../blueprint/blueprint.js';
import { flowDiagram } from '../flow-diagram.js';
import { HAND_WRITTEN_PLACEHOLDER, type Page } from './blocks.js';
import { blueprintPage, connectorPage, stepPage, type DocsContext } from './context.js';
import { cell, code, describeSchedule, relativeLink, shownDefault, table } from './markdown.js';
import { runbookFile } from '../exception-docs.js';
import type { ExceptionCode, Owner } from '../../../runtime/step.js';
import { OWNERS, RUNTIME_EXCEPTION_CODES } from '../../../runtime/step.js';

const BLUEPRINTS_INDEX = 'docs/blueprints/README.md';

export function triggerOf(blueprint: Blueprint): Extract<Shape, { type: 'trigger' }> | undefined {
  const first = blueprint.shapes[0];
  return first?.type === 'trigger' ? first : undefined;
}

export function scheduleText(blueprint: Blueprint): string {
  const trigger = triggerOf(blueprint);
  return trigger ? `${describeSchedule(trigger.schedule)} (${code(trigger.schedule)})` : '(no schedule trigger)';
}

/** The exception codes the flow's steps can raise, by owner, each once. */
export function codesByOwner(context: DocsContext, blueprint: Blueprint): Map<Owner, string[]> {
  const byOwner = new Map<Owner, string[]>(OWNERS.map((owner) => [owner, []]));
  const add = (codeName: string, declaration: ExceptionCode) => {
    const list = byOwner.get(declaration.owner)!;
    if (!list.includes(codeName)) list.push(codeName);
  };
  for (const [codeName, declaration] of Object.entries(RUNTIME_EXCEPTION_CODES as Record<string, ExceptionCode>))
    add(codeName, declaration);
  for (const key of stepsUsed(blueprint.shapes)) {
    const entry = context.steps.find((step) => step.key === key);
    if (!entry) continue;
    for (const [codeName, declaration] of Object.entries(entry.step.exceptionCodes as Record<string, ExceptionCode>))
      add(codeName, declaration);
  }
  return byOwner;
}

/** A notify shape's message with its placeholders shown as `<name>`, for people. */
export function readableMessage(message: string): string {
  return message
    .replace(/\{\{\s*flow\.variables\.([a-zA-Z0-9_]+)\s*\}\}/g, '<$1>')
    .replace(/\[\[\s*(?:payload|meta)\.([^\]\s]+)\s*\]\]/g, '<$1>');
}

function stateKept(blueprint: Blueprint): string {
  const pools = new Map<string, string[]>();
  const caches = new Map<string, { scope: string; keys: Set<string>; shapes: string[] }>();
  const reads = new Map<string, string[]>();
  /** The caches another flow writes (a map names their scope): their scope and the keys read. */
  const foreign = new Map<string, { scope: string; keys: Set<string> }>();
  for (const shape of walkShapes(blueprint.shapes)) {
    if (shape.type === 'de-dupe')
      pools.set(shape.pool, [
        ...(pools.get(shape.pool) ?? []),
        `"${shape.name}" (${shape.behaviour.replaceAll('_', ' ')}, key ${code(shape.key)})`,
      ]);
    if (shape.type === 'add-to-cache') {
      const cache = caches.get(shape.cache) ?? { scope: shape.scope, keys: new Set<string>(), shapes: [] };
      cache.keys.add(shape.key);
      cache.shapes.push(`"${shape.name}"`);
      caches.set(shape.cache, cache);
    }
    if (shape.type === 'map') {
      for (const field of Object.values(shape.fields))
        if ('cache' in field) {
          reads.set(field.cache, [...new Set([...(reads.get(field.cache) ?? []), `"${shape.name}"`])]);
          if (field.scope) {
            const read = foreign.get(field.cache) ?? { scope: field.scope, keys: new Set<string>() };
            read.keys.add(field.key);
            foreign.set(field.cache, read);
          }
        }
    }
  }
  for (const cache of caches.keys()) foreign.delete(cache);
  const rows = [
    ...[...pools].map(([pool, shapes]) => [
      `data pool ${code(pool)}`,
      'the data pool (Settings > Data pools)',
      shapes.join('; '),
    ]),
    ...[...caches].map(([cache, { scope, keys, shapes }]) => [
      `cache ${code(cache)}, key ${[...keys].map(code).join(', ')}`,
      `${scope} cache`,
      `written by ${shapes.join(', ')}${reads.has(cache) ? `; read by ${reads.get(cache)!.join(', ')}` : ''}`,
    ]),
    ...[...foreign].map(([cache, { scope, keys }]) => [
      `cache ${code(cache)}, key ${[...keys].map(code).join(', ')}`,
      `${scope} cache`,
      `written by another flow, if any; read by ${reads.get(cache)!.join(', ')}`,
    ]),
  ];
  return rows.length > 0
    ? table(['state', 'kind', 'shapes'], rows)
    : 'The flow keeps no state between shapes beyond its payloads.';
}

function notifications(blueprint: Blueprint): string {
  const rows = [...walkShapes(blueprint.shapes)]
    .filter((shape): shape is Extract<Shape, { type: 'notify' }> => shape.type === 'notify')
    .map((shape) => {
      const group = placeholdersIn(shape.message).find(
        (placeholder) => placeholder.kind === 'flow.variables' && placeholder.name.startsWith('notify_'),
      );
      const groupCell = group
        ? `${code(group.name)} (${shownDefault(blueprint.variables[group.name]?.default)})`
        : '(none named)';
      return [`"${cell(shape.name)}"`, shape.level, groupCell, code(readableMessage(shape.message))];
    });
  return rows.length > 0
    ? table(['notify shape', 'level', 'group (default)', 'message'], rows)
    : 'The flow sends no notifications.';
}

export function blueprintPages(context: DocsContext): Page[] {
  return context.blueprints.map((blueprint): Page => {
    const file = blueprintPage(blueprint.key);
    const source = `blueprints/${blueprint.key}/blueprint.ts`;
    const readme = `blueprints/${blueprint.key}/README.md`;
    const owners = codesByOwner(context, blueprint);
    const content = [
      `# ${blueprint.title} (${code(blueprint.key)})`,
      '',
      blueprint.purpose,
      '',
      table(
        ['', ''],
        [
          ['runs', scheduleText(blueprint)],
          ['the blueprint', `[${code(source)}](${relativeLink(file, source)})`],
          ['when something fails, re-runs', `[the blueprint's README](${relativeLink(file, readme)}) (hand-written)`],
          [
            'connectors',
            connectorsUsed(blueprint.shapes)
              .map((key) => `[${code(key)}](${relativeLink(file, connectorPage(key))})`)
              .join(', ') || '(none)',
          ],
          [
            'steps',
            stepsUsed(blueprint.shapes)
              .map((key) => `[${code(key)}](${relativeLink(file, stepPage(key))})`)
              .join(', ') || '(none)',
          ],
          ['shapes', String([...walkShapes(blueprint.shapes)].length)],
        ],
      ),
      '',
      '## Flow diagram',
      '',
      'Every shape, in the order Patchworks runs it: its name over what it is.',
      '',
      '```mermaid',
      flowDiagram(blueprint),
      '```',
      '',
      '## Flow variables',
      '',
      "A client's config sets them per flow (`clients/<client>.json`); one left out takes the default, " +
        'and one with no default must be set. One that sets a step setting is described by the step ' +
        "(`<step> <setting>:`), with the step's default; where the flow's default differs, the reason is given.",
      '',
      Object.keys(blueprint.variables).length > 0
        ? table(
            ['variable', 'default', 'what it sets'],
            Object.entries(blueprint.variables).map(([name, variable]) => [
              code(name),
              variable.default === undefined ? 'none: must be set' : shownDefault(variable.default),
              cell(
                variable.why === undefined
                  ? variable.description
                  : `${variable.description} **Why ${variable.default} here:** ${variable.why}`,
              ),
            ]),
          )
        : 'None.',
      '',
      '## Lookups',
      '',
      "Cross-reference lookups (`left_value,right_value`), per flow or shared in the client's config.",
      '',
      Object.keys(blueprint.lookups).length > 0
        ? table(
            ['lookup', 'required', 'holds'],
            Object.entries(blueprint.lookups).map(([name, lookup]) => [
              code(name),
              lookup.required ? 'yes' : 'no',
              cell(lookup.description),
            ]),
          )
        : 'None.',
      '',
      '## State it keeps',
      '',
      stateKept(blueprint),
      '',
      '## Notifications',
      '',
      notifications(blueprint),
      '',
      '## Exception codes its steps can raise',
      '',
      table(
        ['owner', 'codes'],
        [...owners]
          .filter(([, codes]) => codes.length > 0)
          .map(([owner, codes]) => [
            `[${owner}](${relativeLink(file, runbookFile(owner))})`,
            codes.map(code).join(', '),
          ]),
      ),
    ].join('\n');
    return {
      file,
      blocks: [{ name: 'page', source, content }],
      skeleton: ([block]) => `${block}\n\n${HAND_WRITTEN_PLACEHOLDER}\n`,
    };
  });
}

/** docs/blueprints/README.md: every flow, when it runs and what it does. */
export function blueprintsIndexPage(context: DocsContext): Page {
  const file = BLUEPRINTS_INDEX;
  const rows = context.blueprints.map((blueprint) => [
    `[${code(blueprint.key)}](${blueprint.key}.md)`,
    scheduleText(blueprint),
    cell(blueprint.purpose),
  ]);
  const content = [
    '# Blueprints',
    '',
    'One page per blueprint, generated from it.',
    '',
    table(['flow', 'runs', 'what it does'], rows),
  ].join('\n');
  return {
    file,
    blocks: [{ name: 'index', source: 'blueprints/*/blueprint.ts', content }],
    skeleton: ([block]) => `${block}\n\n${HAND_WRITTEN_PLACEHOLDER}\n`,
  };
}
