/**
 * The end of every flow on the exception loop: a keep-*-queue step's output saved as the flow's kept queue (less what
 * owners dismissed), and each alert it says is due told to its owner's group. Flows that look at everything each run
 * (credit hold, reconciliation) take all of it from keepExceptionQueue; the order and stock flows, whose own keep
 * steps write more, take the branches (the stock flows tell through tellDueEntriesBranch: their alerts group
 * entries).
 */
import type * as z from 'zod';
import type { blueprintSchema, Shape, ShapeInput } from './blueprint.js';
import { tellEachOwner } from './owner-alerts.js';
import { promoted } from './promoted.js';
import { step as keepExceptionQueueStep } from '../../scripts/keep-exception-queue/step.js';

type Branch = { name: string; shapes: ShapeInput[] };
type Variables = NonNullable<z.input<typeof blueprintSchema>['variables']>;
/** A map shape's field source: a flow-run cache key, or a path in the payload. */
type FieldSource = { cache: string; key: string } | { payload: string };

/**
 * A try-catch's first catch shape: the refused write (`what`: order, batch, …) kept whole, with the vendor's answer
 * (`error`) and the shape that refused it (`shape`), as the keep-*-queue steps read a refusal.
 */
export function keepReasonWith(what: string): ShapeInput {
  return {
    type: 'map',
    name: `Keep the reason with the ${what}`,
    fields: { error: { meta: 'error_message' }, shape: { meta: 'error_shape' }, record: { payload: '' } },
  };
}

/** The de-dupe shape that drops dismissed entries before the queue is saved: the docs find each flow's queue by it. */
export const DROP_DISMISSED = 'Drop dismissed entries';

/** Where a flow keeps its queue between runs (a flow-scope cache key), and the data pool of keys owners dismissed. */
export interface KeptQueue {
  cache: string;
  key: string;
  /** The data pool an owner imports a queue entry's key into to stop hearing of it. */
  dismissed: string;
}

/**
 * The branch that saves the queue a keep-*-queue step wrote (`queue`): only a queue kept whole, since the step writes
 * none from a payload that did not carry the kept one (an empty queue never overwrites it), and without the entries an
 * owner dismissed, so they are never fed in or told again.
 */
export function saveQueueBranch(kept: KeptQueue, save: string): Branch {
  return {
    name: 'save',
    shapes: [
      { type: 'filter', name: 'Only a queue kept whole', rules: [{ field: 'queue.watermark', operator: 'exists' }] },
      {
        type: 'de-dupe',
        name: DROP_DISMISSED,
        behaviour: 'filter',
        pool: kept.dismissed,
        key: 'queue.entries.*.key',
      },
      {
        type: 'map',
        name: 'The new queue',
        fields: { watermark: { payload: 'queue.watermark' }, entries: { payload: 'queue.entries' } },
      },
      { type: 'add-to-cache', name: save, cache: kept.cache, key: kept.key, scope: 'flow', append: false },
    ],
  };
}

/** The de-dupe shape that drops, before anyone is told, what an owner dismissed. */
const TELL_NO_DISMISSED = 'Tell no one of dismissed entries';

/** Each alert in `due_alerts`, one payload each, told to its owner's group. */
function tellEachDueAlert(tell: { what: string; message: string }): ShapeInput[] {
  return [
    { type: 'flow-control', name: 'One alert per payload', path: 'due_alerts', size: 1 },
    // Each alert carries its code's owner; a notify shape notifies one group, so one per owner.
    tellEachOwner({ branch: 'Tell the owner', filter: 'Owned by', level: 'warning', ...tell }),
  ];
}

/**
 * The branch that tells each alert a keep-*-queue step says is due (`due_alerts`) to its owner's group, one
 * notification each, none for an entry an owner dismissed.
 */
export function tellDueAlertsBranch(kept: KeptQueue, tell: { what: string; message: string }): Branch {
  return {
    name: 'alerts',
    shapes: [
      { type: 'de-dupe', name: TELL_NO_DISMISSED, behaviour: 'filter', pool: kept.dismissed, key: 'due_alerts.*.key' },
      ...tellEachDueAlert(tell),
    ],
  };
}

/**
 * tellDueAlertsBranch for a step that says what is due one entry at a time (`due_entries`, keep-stock-queue), for
 * alerts that each group many entries: the entries an owner dismissed are dropped by their own keys, then
 * group-due-alerts makes one alert per code, owner and kind of what is left, each told as above. An entry dismissed
 * is never told, however many share its alert, and one found again next run is dropped again.
 */
export function tellDueEntriesBranch(kept: KeptQueue, tell: { what: string; message: string }): Branch {
  return {
    name: 'alerts',
    shapes: [
      // Only the entries: the rest of the step's output (the rows published, the queue) is not for the alerts.
      { type: 'map', name: 'The due entries', fields: { due_entries: { payload: 'due_entries' } } },
      {
        type: 'de-dupe',
        name: TELL_NO_DISMISSED,
        behaviour: 'filter',
        pool: kept.dismissed,
        key: 'due_entries.*.key',
      },
      { type: 'script', name: 'Group the due alerts', step: 'group-due-alerts' },
      ...tellEachDueAlert(tell),
    ],
  };
}

/** keep-exception-queue's settings promoted to flow variables, with the step's defaults. */
const KEEP_EXCEPTION_QUEUE = promoted(keepExceptionQueueStep, ['reminder_hours', 'digest_above', 'as_of']);

/** keep-exception-queue's settings as flow variables (keepExceptionQueue's script shape reads them). */
export function exceptionQueueVariables(): Variables {
  return { ...KEEP_EXCEPTION_QUEUE.variables };
}

/**
 * The last shapes of a flow that looks at everything each run: this run's problems beside the queue the last run kept,
 * keep-exception-queue, then the queue saved and each owner told once, then each reminder.
 */
export function keepExceptionQueue(
  kept: KeptQueue,
  keep: { problems: FieldSource; what: string; message: string },
): ShapeInput[] {
  return [
    {
      type: 'map',
      name: 'The problems beside the queue',
      fields: { problems: keep.problems, queue: { cache: kept.cache, key: kept.key } },
    },
    {
      type: 'script',
      name: 'Keep the exception queue',
      step: 'keep-exception-queue',
      variables: KEEP_EXCEPTION_QUEUE.placeholders,
    },
    {
      type: 'branch',
      name: 'Save and tell',
      branches: [
        saveQueueBranch(kept, 'Save the exception queue'),
        tellDueAlertsBranch(kept, { what: keep.what, message: keep.message }),
      ],
    },
  ];
}

/** Each kept queue a blueprint saves (the add-to-cache after DROP_DISMISSED), with the pool that dismisses from it. */
export function keptQueuesOf(shapes: readonly Shape[]): KeptQueue[] {
  const found: KeptQueue[] = [];
  for (const shape of shapes) {
    if (shape.type === 'branch') for (const branch of shape.branches) found.push(...keptQueuesOf(branch.shapes));
    if (shape.type === 'try-catch') found.push(...keptQueuesOf(shape.try), ...keptQueuesOf(shape.catch));
  }
  const drop = shapes.findIndex((shape) => shape.type === 'de-dupe' && shape.name === DROP_DISMISSED);
  const dropShape = shapes[drop];
  const save = shapes.slice(drop + 1).find((shape) => shape.type === 'add-to-cache');
  if (drop >= 0 && dropShape?.type === 'de-dupe' && save?.type === 'add-to-cache')
    found.push({ cache: save.cache, key: save.key, dismissed: dropShape.pool });
  return found;
}
