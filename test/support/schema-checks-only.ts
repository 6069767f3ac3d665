// Whether a zod schema only checks its input: no transform, pipe, default, prefault or catch anywhere inside it, so
// that whatever passes it parses to itself (runtime/step.ts, record.checkOnly).
import type * as z from 'zod';

type Def = { type: string } & Record<string, unknown>;

export function changesWhatItParses(schema: z.ZodType, path = '(record)', seen = new Set<unknown>()): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  const inner = (child: unknown, at: string) => changesWhatItParses(child as z.ZodType, at, seen);
  switch (def.type) {
    case 'transform':
    case 'pipe':
    case 'default':
    case 'prefault':
    case 'catch':
      return [`${path}: ${def.type}`];
    case 'object': {
      const shape = def.shape as Record<string, unknown>;
      return [
        ...Object.entries(shape).flatMap(([key, child]) => inner(child, `${path}.${key}`)),
        ...(def.catchall ? inner(def.catchall, `${path}.*`) : []),
      ];
    }
    case 'array':
      return inner(def.element, `${path}[]`);
    case 'union':
      return (def.options as unknown[]).flatMap((option, i) => inner(option, `${path}|${i}`));
    case 'optional':
    case 'nullable':
    case 'readonly':
      return inner(def.innerType, path);
    case 'record':
      return inner(def.valueType, `${path}{}`);
    case 'lazy':
      return inner((def.getter as () => unknown)(), path);
    default:
      return [];
  }
}
