/**
 * Telling each exception code's owner: every flow that alerts names one notification group per owner (a flow
 * variable each, finance to integration) and routes each alert, which carries its owner, to that owner's group.
 */
import type * as z from 'zod';
import { OWNERS, type Owner } from '../../runtime/step.js';
import type { blueprintSchema, ShapeInput } from './blueprint.js';

type BlueprintInput = z.input<typeof blueprintSchema>;

/** The flow variable naming an owner's notification group, e.g. notify_customer_service_group. */
export function ownerGroupVariable(owner: Owner): string {
  return `notify_${owner.replaceAll(' ', '_')}_group`;
}

/** A branch with a route per owner: a filter on the payload's `owner`, then a notify shape to that owner's group. */
export function tellEachOwner(tell: {
  branch: string;
  filter: string;
  what: string;
  level: 'info' | 'warning';
  message: string;
}): ShapeInput {
  return {
    type: 'branch',
    name: tell.branch,
    branches: OWNERS.map((owner) => ({
      name: owner,
      shapes: [
        {
          type: 'filter',
          name: `${tell.filter} ${owner}`,
          rules: [{ field: 'owner', operator: 'equals', value: owner }],
        },
        {
          type: 'notify',
          name: `Tell ${owner} (${tell.what})`,
          level: tell.level,
          message: `${tell.message} ({{flow.variables.${ownerGroupVariable(owner)}}})`,
        },
      ],
    })),
  };
}

const OWNER_GROUPS: Record<Owner, string> = {
  finance: 'Finance',
  operations: 'Operations',
  'customer service': 'Customer service',
  integration: 'Integration',
};

/** The flow variables naming each owner's notification group, with the pack's default group names. */
export function ownerGroupVariables(): NonNullable<BlueprintInput['variables']> {
  return Object.fromEntries(
    OWNERS.map((owner) => [
      ownerGroupVariable(owner),
      {
        description:
          `The notification group for exceptions ${owner} owns ` + `(the exception table names each code's owner).`,
        default: OWNER_GROUPS[owner],
      },
    ]),
  );
}
