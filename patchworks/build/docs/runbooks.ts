/**
 * docs/runbooks/<owner>.md, one per owner the exception codes name (finance, operations, customer service,
 * integration): the generated block lists the codes that owner owns with what to do, the notices they receive, and
 * the notify shapes that reach them (with their group variable and message), from the step declarations and the
 * blueprints. The plain-English guidance (where each thing lives, what to check when, how to read an alert) is
 * hand-written around it.
 */
import { placeholdersIn, stepsUsed, walkShapes, type Blueprint, type Shape } from '../../blueprint/blueprint.js';
import { keptQueuesOf } from '../../blueprint/exception-loop.js';
import { ownerGroupVariable } from '../../blueprint/owner-alerts.js';
import { OWNERS, type AnyStep, type Owner } from '../../../runtime/step.js';
import { exceptionRows, raisedBy, runbookFile, type ExceptionRow } from '../exception-docs.js';
import { HAND_WRITTEN_PLACEHOLDER, type Page } from './blocks.js';
import { readableMessage } from './blueprint-pages.js';
import { blueprintPage, EXCEPTION_CODES_PAGE, type DocsContext } from './context.js';
import { cell, code, relativeLink, shownDefault, table } from './markdown.js';

/**
 * The codes a map-order step sends as notices on an order it books (scripts/map-order-step.ts,
 * passNoting), rather than as exceptions: the order flows tell their owner, and never for an order the back-end
 * refused. NO_PO_NUMBER is an exception instead with po_required=exception.
 */
export const NOTICE_CODES = ['ON_ACCOUNT_HELD', 'NO_PO_NUMBER'] as const;

const RUNBOOKS_INDEX = 'docs/runbooks/README.md';

const title = (owner: Owner) => `${owner[0]!.toUpperCase()}${owner.slice(1)}`;

function flowsRaising(context: DocsContext, row: ExceptionRow): Blueprint[] {
  return context.blueprints.filter((blueprint) => {
    const used = stepsUsed(blueprint.shapes);
    return row.steps.length === 0 ? used.length > 0 : row.steps.some((key) => used.includes(key));
  });
}

interface Reaching {
  blueprint: Blueprint;
  shape: Extract<Shape, { type: 'notify' }>;
  group: string;
}

/** The notify shapes that reach an owner: every flow tells each owner through that owner's group variable. */
export function notifyShapesReaching(context: DocsContext, owner: Owner): Reaching[] {
  const group = ownerGroupVariable(owner);
  return context.blueprints.flatMap((blueprint) =>
    [...walkShapes(blueprint.shapes)].flatMap((shape) =>
      shape.type === 'notify' &&
      placeholdersIn(shape.message).some((p) => p.kind === 'flow.variables' && p.name === group)
        ? [{ blueprint, shape, group }]
        : [],
    ),
  );
}

function ownedBlock(context: DocsContext, owner: Owner, file: string): string {
  const steps = new Map<string, AnyStep>(context.steps.map(({ key, step }) => [key, step]));
  const keys = [...steps.keys()];
  const rows = exceptionRows(steps).filter((row) => row.owner === owner);
  const notices = rows.filter((row) => (NOTICE_CODES as readonly string[]).includes(row.code));
  const declared = new Set(exceptionRows(steps).map((row) => row.code));
  for (const notice of NOTICE_CODES)
    if (!declared.has(notice))
      throw new Error(
        `docs: the notice code ${notice} is declared by no step (patchworks/build/docs/runbooks.ts NOTICE_CODES)`,
      );
  const flowLinks = (blueprints: Blueprint[]) =>
    blueprints
      .map((blueprint) => `[${code(blueprint.key)}](${relativeLink(file, blueprintPage(blueprint.key))})`)
      .join(', ') || '(none yet)';
  const reaching = notifyShapesReaching(context, owner);
  const reminders = [...new Set(reaching.map((each) => each.blueprint))].filter(
    (blueprint) => 'reminder_hours' in blueprint.variables,
  );

  const parts = [
    `## The codes ${owner} owns`,
    '',
    `Each is declared beside the step that raises it, with its owner and what to do ([every ` +
      `code](${relativeLink(file, EXCEPTION_CODES_PAGE)})). ${rows.length} code${rows.length === 1 ? '' : 's'}:`,
    '',
    rows.length > 0
      ? table(
          ['code', 'raised by', 'in flows', 'what to do'],
          rows.map((row) => [
            code(row.code),
            raisedBy(row, keys, file),
            flowLinks(flowsRaising(context, row)),
            cell(row.action),
          ]),
        )
      : 'None.',
    '',
    '## Notices',
    '',
    notices.length > 0
      ? [
          `An order flow books these orders and tells ${owner} once, as a notice (never for an order the ` +
            `back-end refused):`,
          '',
          table(
            ['notice', 'raised by', 'what to do'],
            notices.map((row) => [code(row.code), raisedBy(row, keys, file), cell(row.action)]),
          ),
        ].join('\n')
      : `None for ${owner}: the notices (${NOTICE_CODES.map(code).join(', ')}) go to their own owners.`,
    '',
    `## The notifications ${owner} receives`,
    '',
    reaching.length > 0
      ? table(
          ['flow', 'notify shape', 'level', 'sent to the group in', 'message'],
          reaching.map(({ blueprint, shape, group }) => [
            `[${code(blueprint.key)}](${relativeLink(file, blueprintPage(blueprint.key))})`,
            `"${cell(shape.name)}"`,
            shape.level,
            `${code(group)} (default ${shownDefault(blueprint.variables[group]?.default)})`,
            code(readableMessage(shape.message)),
          ]),
        )
      : 'No notify shape reaches this owner.',
    '',
    reminders.length > 0 ? remindersLine(reminders) : '',
  ];
  return parts.join('\n').trim();
}

/**
 * When an alert comes again: `reminder_hours`, with its default in each flow that tells this owner (once when they all
 * agree). Its description is each flow's (the order, stock and exception queues' steps each word their own), on the
 * flow's page, not one of them quoted for all.
 */
function remindersLine(flows: Blueprint[]): string {
  const defaults = new Set(flows.map((blueprint) => blueprint.variables.reminder_hours!.default));
  const where =
    defaults.size === 1
      ? `default ${shownDefault([...defaults][0])} in ${flows.map((blueprint) => code(blueprint.key)).join(', ')}`
      : flows
          .map(
            (blueprint) =>
              `default ${shownDefault(blueprint.variables.reminder_hours!.default)} in ${code(blueprint.key)}`,
          )
          .join(', ');
  return (
    `While a problem waits, its alert comes again after the flow variable ${code('reminder_hours')} ` +
    `(${where}; each flow's page says how its queue reads it).`
  );
}

/** Where each flow keeps what it could not deal with between runs, and the data pool that dismisses an entry. */
function keptQueuesBlock(context: DocsContext, file: string): string {
  const rows = context.blueprints.flatMap((blueprint) =>
    keptQueuesOf(blueprint.shapes).map((kept) => [
      `[${code(blueprint.key)}](${relativeLink(file, blueprintPage(blueprint.key))})`,
      `${code(kept.cache)}, key ${code(kept.key)}`,
      code(kept.dismissed),
    ]),
  );
  return [
    "Each flow's queue (a flow cache, rewritten each run) holds every problem it could not deal with, whole, with " +
      'its code, owner and when it was first and last seen; each is told to its owner once, again when it changes ' +
      "and every `reminder_hours`. To dismiss one, import its key (the entry's `key`; `npm run queue -- list` shows " +
      "the order flows' keys) into the data pool: it is never saved, fed in or told again.",
    '',
    table(['flow', 'queue (flow cache)', 'dismissed through the data pool'], rows),
  ].join('\n');
}

export function runbookPages(context: DocsContext): Page[] {
  return OWNERS.map((owner): Page => {
    const file = runbookFile(owner);
    return {
      file,
      blocks: [
        {
          name: 'owned',
          source: 'the step declarations and the blueprints',
          content: ownedBlock(context, owner, file),
        },
        { name: 'kept', source: 'the blueprints', content: keptQueuesBlock(context, file) },
      ],
      skeleton: ([owned, kept]) =>
        `# ${title(owner)} runbook\n\n${HAND_WRITTEN_PLACEHOLDER}\n\n${owned}\n\n${HAND_WRITTEN_PLACEHOLDER}\n\n` +
        `${kept}\n\n${HAND_WRITTEN_PLACEHOLDER}\n`,
    };
  });
}

/** docs/runbooks/README.md: one runbook per owner, with how many codes each owns. */
export function runbooksIndexPage(context: DocsContext): Page {
  const file = RUNBOOKS_INDEX;
  const rows = exceptionRows(new Map(context.steps.map(({ key, step }) => [key, step])));
  const content = [
    '# Runbooks',
    '',
    'One per team an exception code names as its owner: the codes it owns, the notices and notifications ' +
      'it receives, and plain-English guidance.',
    '',
    table(
      ['runbook', 'codes owned', 'notices'],
      OWNERS.map((owner) => {
        const owned = [...new Set(rows.filter((row) => row.owner === owner).map((row) => row.code))];
        const notices = owned.filter((c) => (NOTICE_CODES as readonly string[]).includes(c));
        return [
          `[${title(owner)}](${relativeLink(file, runbookFile(owner))})`,
          String(owned.length),
          notices.map(code).join(', ') || '(none)',
        ];
      }),
    ),
  ].join('\n');
  return {
    file,
    blocks: [{ name: 'index', source: 'the step declarations', content }],
    skeleton: ([block]) => `${block}\n\n${HAND_WRITTEN_PLACEHOLDER}\n`,
  };
}
