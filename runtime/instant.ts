/**
 * Reading an instant the same on every host. `Date.parse` reads a date-time with no offset in the host's time zone and
 * rolls an impossible date over (`2026-02-30` becomes 2 March), so a plan could differ between a laptop and Patchworks
 * and a typo could move a watermark by days. Here a date-time is ISO 8601 (`T` or a space between date and time), an
 * offset missing means UTC, and a date that is not on the calendar, or a time past 23:59:59, is refused.
 */

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Epoch milliseconds of `text`, or undefined when it is not an ISO 8601 date-time on the calendar. */
export function parseInstant(
  text: unknown,
  { offsetRequired = false }: { offsetRequired?: boolean } = {},
): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = INSTANT.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', offset] = match;
  if (offsetRequired && (offset === undefined || match[4] === undefined)) return undefined;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (year < 1000 || hour > 23 || minute > 59 || second > 59) return undefined;
  const shift = offsetMinutes(offset);
  if (shift === undefined) return undefined;
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  return utc - shift * 60_000;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Minutes east of UTC; undefined for an offset no time zone has (past ±14:00, or 60 minutes or more). */
function offsetMinutes(offset: string | undefined): number | undefined {
  if (offset === undefined || offset.toUpperCase() === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const [hours, minutes] = [Number(digits.slice(0, 2)), Number(digits.slice(2) || '0')];
  if (hours > 14 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes);
}
