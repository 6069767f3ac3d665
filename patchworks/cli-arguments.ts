/**
 * The pack's command lines (`npm run flow|record|reconcile`) read their arguments through this: a mistake in them is
 * one line naming the option and pointing at --help, exit code 2, never a stack trace.
 */
export function readArguments<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    // node:util's message for an unknown option goes on about positionals: name the option, and where to look.
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /^Unknown option '([^']+)'/.exec(message)?.[1];
    console.error(`npm run ${command}: ${unknown ? `unknown option ${unknown}` : message.split('\n')[0]} (see --help)`);
    process.exit(2);
  }
}
