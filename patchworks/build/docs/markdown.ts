/** Small Markdown helpers shared by the generated pages. */
import path from 'node:path';

/** Text for a table cell: one line, `|` escaped. */
export function cell(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replaceAll('|', '\\|');
}

/** Inline code; a value with a backtick in it is fenced with two. */
export function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/** A default for a table: `value`, or (empty). */
export function shownDefault(value: string | undefined): string {
  return value === undefined || value === '' ? '(empty)' : code(value);
}

export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

/** A link target from one repository file to another, both relative to the root with `/` separators. */
export function relativeLink(fromFile: string, toFile: string): string {
  const link = path.posix.relative(path.posix.dirname(fromFile), toFile);
  return link === '' ? path.posix.basename(toFile) : link;
}

/**
 * What a five-field cron says, in words, for the schedules the blueprints use; anything else is given as the cron
 * itself. Patchworks' schedule trigger reads the cron; the words are for people.
 */
export function describeSchedule(cron: string): string {
  const [minute, hour, day, month, weekday] = cron.trim().split(/\s+/);
  const rest = (fields: Array<string | undefined>) => fields.every((field) => field === '*');
  const every = /^\*\/(\d+)$/;
  const num = /^\d+$/;
  const time = (h: string, m: string) => `${h.padStart(2, '0')}:${m.padStart(2, '0')}`;
  if (minute && every.test(minute) && rest([hour, day, month, weekday]))
    return `every ${minute.match(every)![1]} minutes`;
  if (minute === '0' && rest([hour, day, month, weekday])) return 'every hour, on the hour';
  if (minute && hour && num.test(minute) && num.test(hour)) {
    if (rest([day, month, weekday])) return `every day at ${time(hour, minute)}`;
    if (day && num.test(day) && rest([month, weekday])) return `at ${time(hour, minute)} on day ${day} of every month`;
  }
  return `as the cron says (${cron})`;
}
