/**
 * Step settings promoted to flow variables, declared once: the step's settings declaration (`defineStep({ settings
 * })`) gives each variable its name, description and default; the flow names which settings it promotes and, where
 * it wants another default, says why (the blueprint page and the rendered flow show the reason). The same call gives
 * the script shape its `variables`, so a setting's name is typed once, in the list.
 */
import { describeSettings, type SettingsShape } from '../../runtime/settings.js';

/** What a blueprint's `variables` holds for one flow variable. */
export interface FlowVariableInput {
  description: string;
  default?: string;
  /** Only where the flow's default is not the step's: why. */
  why?: string;
}

export interface Promoted<K extends string> {
  /** The flow variables, for the blueprint's `variables`. */
  variables: Record<K, FlowVariableInput>;
  /** The script shape's `variables`: each setting read from its flow variable, `{{flow.variables.<name>}}`. */
  placeholders: Record<K, string>;
}

/**
 * The flow variables for `names`, settings of `step`: described as `<step-key> <name>: <the step's description>`,
 * defaulting to the step's default unless `overrides` gives another, with its reason.
 */
export function promoted<S extends SettingsShape, const K extends keyof S & string>(
  step: { key: string; settings: S },
  names: readonly K[],
  options: { overrides?: Partial<Record<K, { default: string; why: string }>> } = {},
): Promoted<K> {
  const declared = new Map(describeSettings(step.settings).map((setting) => [setting.key, setting]));
  const variables = {} as Record<K, FlowVariableInput>;
  const placeholders = {} as Record<K, string>;
  for (const name of names) {
    const setting = declared.get(name);
    if (!setting) throw new Error(`${step.key} has no setting ${name} to promote to a flow variable`);
    const override = options.overrides?.[name];
    if (override && override.default === setting.default)
      throw new Error(
        `${step.key} ${name}: the flow's default ${override.default} is the step's own; drop the override`,
      );
    variables[name] = {
      description: `${step.key} ${name}: ${setting.description}`,
      ...(setting.required && !override ? {} : { default: override?.default ?? setting.default }),
      ...(override ? { why: override.why } : {}),
    };
    placeholders[name] = `{{flow.variables.${name}}}`;
  }
  for (const name of Object.keys(options.overrides ?? {}))
    if (!names.includes(name as K)) throw new Error(`${step.key} ${name}: overridden but not promoted`);
  return { variables, placeholders };
}

/**
 * One flow variable several steps' settings read (a flow's as_of, its one clock): each step's description in turn, so
 * the variable says what it sets in every step. The steps must agree on its default.
 */
export function sharedVariable(...declared: FlowVariableInput[]): FlowVariableInput {
  const [first, ...rest] = declared;
  if (first === undefined) throw new Error('sharedVariable: no variable given');
  const other = rest.find((variable) => variable.default !== first.default);
  if (other) throw new Error(`sharedVariable: defaults differ (${first.default} and ${other.default})`);
  return { ...first, description: declared.map((variable) => variable.description).join(' ') };
}
