/**
 * docs/steps/<step-key>.md, one page per step, and docs/steps/README.md, their index: generated from each step's
 * declaration (step.ts in its folder, patchworks/build/step-sources.ts: title, purpose, settings, exception codes,
 * where it reads its records) and its worked example (sample.ts beside it), and from the blueprints that run it. The
 * rules in prose (why, how, what each field becomes) are hand-written on the page, outside the generated blocks.
 */
import { walkShapes } from '../../blueprint/blueprint.js';
import { describeSettings } from '../../../runtime/settings.js';
import { RUNTIME_EXCEPTION_CODES, runStep, type ExceptionCode } from '../../../runtime/step.js';
import { exceptionRows, runbookFile } from '../exception-docs.js';
import { HAND_WRITTEN_PLACEHOLDER, type Page } from './blocks.js';
import { mapOrderDir, SCRIPTS_DIR, stepFile } from '../step-sources.js';
import { blueprintPage, EXCEPTION_CODES_PAGE, stepPage, type DocsContext, type StepEntry } from './context.js';
import { cell, code, relativeLink, shownDefault, table } from './markdown.js';

const STEPS_INDEX = 'docs/steps/README.md';

/** The top-level keys of an object schema, through the wrappers zod puts around one (pipe, default, optional, lazy). */
export function objectKeys(schema: unknown, depth = 0): string[] | undefined {
  const def = (schema as { _zod?: { def?: Record<string, unknown> } } | undefined)?._zod?.def;
  if (!def || depth > 10) return undefined;
  switch (def.type) {
    case 'object':
      return Object.keys(def.shape as object);
    case 'pipe':
      return objectKeys(def.in, depth + 1) ?? objectKeys(def.out, depth + 1);
    case 'default':
    case 'prefault':
    case 'optional':
    case 'nullable':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return objectKeys(def.innerType, depth + 1);
    case 'lazy':
      return objectKeys((def.getter as () => unknown)(), depth + 1);
    default:
      return undefined;
  }
}

const metaPrefix = (key: string) => key.replaceAll('-', '_');

/** The meta variables the step writes when it runs on its sample (names only: values such as the clock vary). */
function sampleMeta(entry: StepEntry): string[] {
  const { step, sample } = entry;
  if (!sample) return [];
  const payload = sample.beside
    ? { [step.recordsField ?? 'records']: sample.records, ...sample.beside }
    : sample.records;
  const data = runStep(step, {
    payload: JSON.stringify(payload),
    variables: sample.variables,
    meta: {},
    flow: { variables: {} },
  });
  return Object.keys(data.meta ?? {});
}

function usedBy(context: DocsContext, key: string, from: string): string[] {
  const lines: string[] = [];
  for (const blueprint of context.blueprints) {
    for (const shape of walkShapes(blueprint.shapes)) {
      if (shape.type !== 'script' || shape.step !== key) continue;
      const set = Object.keys(shape.variables);
      const setting = set.length > 0 ? `, setting ${set.map(code).join(', ')}` : '';
      lines.push(
        `- [${code(blueprint.key)}](${relativeLink(from, blueprintPage(blueprint.key))}), ` +
          `shape "${shape.name}"${setting}`,
      );
    }
  }
  return lines;
}

function inputOutput(entry: StepEntry, from: string): string {
  const { key, step } = entry;
  const beside = step.beside ? objectKeys(step.beside) : undefined;
  const field = step.recordsField;
  const lines = [
    field === undefined
      ? "- **Records in:** a JSON array of records, another step's envelope (its `records`), an object " +
        'with the records under `data`, or one record.'
      : `- **Records in:** under ${code(field)} (\`{ "${field}": [...], ... }\`), or as any step takes ` +
        `them: a JSON array, another step's envelope (its \`records\`), an object with them under \`data\`.`,
  ];
  if (step.beside) {
    const dropped = step.besideDropped ?? [];
    const carried =
      dropped.length === 0
        ? 'Whatever rides beside the records is carried forward.'
        : `Whatever rides beside the records is carried forward but ${dropped.map(code).join(', ')}, which nothing ` +
          'after this step reads.';
    lines.push(
      beside && beside.length > 0
        ? `- **Read beside the records:** ${beside.map(code).join(', ')}; a malformed one fails the whole ` +
            `step. ${carried}`
        : `- **Read beside the records:** data riding beside them; a malformed one fails the whole step. ${carried}`,
    );
  }
  const notices = step.writesNotices
    ? `, and ${code('notices')} (orders that continue but that an owner must act on)`
    : '';
  lines.push(
    `- **Out:** the envelope: ${code('records')} (what continues down the flow), ${code('skipped')} ` +
      `(with reasons), ${code('exceptions')} (each record whole, with its code: ` +
      `[below](#exception-codes)), ${code('summary')}${notices}.`,
  );
  const standard = ['in', 'records', 'skipped', 'exceptions'].map((counter) => `${metaPrefix(key)}_${counter}`);
  const extra = sampleMeta(entry).filter((name) => !standard.includes(name));
  const alsoOnSample = extra.length > 0 ? `; on its sample also ${extra.map(code).join(', ')}` : '';
  lines.push(
    `- **Meta:** ` +
      `${standard.map(code).join(', ')}${alsoOnSample} ` +
      `([the script contract](${relativeLink(from, 'docs/guide/script-contract.md')})).`,
  );
  return lines.join('\n');
}

function sampleSection(entry: StepEntry, from: string): string {
  const { sample } = entry;
  const sampleFile = stepFile(entry, 'sample.ts');
  if (!sample) return `No worked example: ${code(sampleFile)} is missing.`;
  const settings = Object.entries(sample.variables);
  const outcomes = [
    ...sample.expected.passed.map((id) => [id === null ? '(no id)' : code(id), 'passes']),
    ...sample.expected.skipped.map(({ id, reason }) => [
      id === null ? '(no id)' : code(id),
      `skipped, ${code(reason)}`,
    ]),
    ...sample.expected.exceptions.map(({ id, code: c }) => [
      id === null ? '(no id)' : code(id),
      `exception ${code(c)}`,
    ]),
  ];
  const besideThem = sample.beside ? `, with ${Object.keys(sample.beside).map(code).join(', ')} beside them` : '';
  const settingsText =
    settings.length > 0
      ? `settings ${settings.map(([name, value]) => code(`${name}=${value}`)).join(', ')}`
      : 'every setting at its default';
  return [
    `The worked example, ` +
      `[${code(sampleFile)}](${relativeLink(from, sampleFile)}) (the tests ` +
      `run it): ${sample.records.length} ` +
      `record${sample.records.length === 1 ? '' : 's'}${besideThem}, ${settingsText}.`,
    '',
    outcomes.length > 0
      ? table(['record', 'outcome'], outcomes)
      : "Every record is dealt with without continuing on its own (see the step's rules).",
  ].join('\n');
}

function settingsTable(entry: StepEntry): string {
  const settings = describeSettings(entry.step.settings);
  if (settings.length === 0) return 'No settings.';
  return table(
    ['setting', 'default', 'meaning'],
    // `required` (a setting the step refuses to run without) where describeSettings reports it.
    settings.map((setting) => [
      code(setting.key),
      shownDefault(setting.default),
      cell(`${(setting as { required?: boolean }).required === true ? '**Required.** ' : ''}${setting.description}`),
    ]),
  );
}

function codesTable(entry: StepEntry, from: string): string {
  const rows = [
    ...Object.entries(entry.step.exceptionCodes as Record<string, ExceptionCode>),
    ...Object.entries(RUNTIME_EXCEPTION_CODES as Record<string, ExceptionCode>).map(
      ([c, declaration]) => [c, { ...declaration, action: `(any step) ${declaration.action}` }] as const,
    ),
  ];
  return table(
    ['code', 'owner', 'what to do'],
    rows.map(([c, declaration]) => [
      code(c),
      `[${declaration.owner}](${relativeLink(from, runbookFile(declaration.owner))})`,
      cell(declaration.action),
    ]),
  );
}

export function stepPages(context: DocsContext): Page[] {
  return context.steps.map((entry): Page => {
    const { key, step } = entry;
    const file = stepPage(key);
    const flows = usedBy(context, key, file);
    const source = stepFile(entry, 'step.ts');
    const summary = [
      `# ${code(key)}: ${step.title}`,
      '',
      step.purpose,
      '',
      `Built to ${code(`dist/scripts/${key}.js`)} from [${code(source)}](${relativeLink(file, source)}); ` +
        `every step follows [the script contract](${relativeLink(file, 'docs/guide/script-contract.md')}). ` +
        `All steps: [the index](README.md).`,
      '',
      '## Input and output',
      '',
      inputOutput(entry, file),
      '',
      '## Where it runs',
      '',
      flows.length > 0 ? flows.join('\n') : 'No blueprint runs it yet.',
      '',
      '## Worked example',
      '',
      sampleSection(entry, file),
    ].join('\n');
    const reference = [
      '## Settings',
      '',
      "Read from the script's variables, then the flow's variables of the same name, then the default.",
      '',
      settingsTable(entry),
      '',
      '## Exception codes',
      '',
      `Each owner's runbook says how they hear of it; [all codes](${relativeLink(file, EXCEPTION_CODES_PAGE)}).`,
      '',
      codesTable(entry, file),
    ].join('\n');
    return {
      file,
      blocks: [
        { name: 'summary', source: `${source} and sample.ts`, content: summary },
        { name: 'reference', source, content: reference },
      ],
      skeleton: ([summaryBlock, referenceBlock]) =>
        `${summaryBlock}\n\n## How it works\n\n${HAND_WRITTEN_PLACEHOLDER}\n\n${referenceBlock}\n`,
    };
  });
}

/** docs/steps/README.md: every step, what it is for, and where it runs. */
export function stepsIndexPage(context: DocsContext): Page {
  const file = STEPS_INDEX;
  const rows = context.steps.map(({ key, step }) => {
    const flows = context.blueprints.filter((blueprint) =>
      [...walkShapes(blueprint.shapes)].some((shape) => shape.type === 'script' && shape.step === key),
    );
    return [
      `[${code(key)}](${key}.md)`,
      cell(step.purpose),
      flows.length > 0
        ? flows
            .map((blueprint) => `[${code(blueprint.key)}](${relativeLink(file, blueprintPage(blueprint.key))})`)
            .join(', ')
        : '(none yet)',
    ];
  });
  const codes = new Set(
    exceptionRows(new Map(context.steps.map(({ key, step }) => [key, step]))).map((row) => row.code),
  ).size;
  const content = [
    '# Steps',
    '',
    `The pack's ${context.steps.length} script steps, each a page generated from its declaration. Their ` +
      `${codes} exception codes, with each one's owner and what to do, are in ` +
      `[one table](${relativeLink(file, EXCEPTION_CODES_PAGE)}).`,
    '',
    table(['step', 'what it does', 'run by'], rows),
  ].join('\n');
  return {
    file,
    blocks: [{ name: 'index', source: `${SCRIPTS_DIR}/*/step.ts and ${mapOrderDir('*')}/step.ts`, content }],
    skeleton: ([block]) => `${block}\n\n${HAND_WRITTEN_PLACEHOLDER}\n`,
  };
}
