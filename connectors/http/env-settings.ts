/**
 * How every connector client reads its connection settings from the environment (connectors/<system>/dev/config.ts):
 * a value trimmed, a blank one as unset, and every problem found named in one error, variables and never their values,
 * so a consultant fixes them all in one go.
 */

export function envSettings(env: Record<string, string | undefined>) {
  const problems: string[] = [];
  /** The variable's value trimmed; undefined when it is unset or blank. */
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  return {
    read,
    /** What is wrong so far, in the order found; the client adds its own checks. */
    problems,
    /** Notes `missing A, B (where they come from)` when any of the variables is unset. */
    requireAll(names: readonly string[], whereFrom: string): void {
      const missing = names.filter((name) => read(name) === undefined);
      if (missing.length > 0) problems.push(`missing ${missing.join(', ')} (${whereFrom})`);
    },
    /** The variable's value, noting a problem when it is set but not an http(s) URL (`example` shows one). */
    readHttpUrl(name: string, example: string): string | undefined {
      const value = read(name);
      if (value !== undefined && !/^https?:\/\/[^/\s]+/.test(value))
        problems.push(`${name} must be an http(s) URL such as ${example}`);
      return value;
    },
    /** Throws `<system> configuration: <problem>; <problem>.` when anything was found wrong. */
    throwIfProblems(system: string, ConfigError: new (message: string) => Error): void {
      if (problems.length > 0) throw new ConfigError(`${system} configuration: ${problems.join('; ')}.`);
    },
  };
}
