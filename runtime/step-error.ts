/**
 * A whole-payload failure. Patchworks retries a throwing script three times and then fails the step,
 * so these are only for problems no single record can explain: the payload, its shape, a setting.
 * The message always starts with `<step-key>:` so a consultant reading the run log knows which shape failed.
 */
export class StepError extends Error {
  constructor(
    readonly stepKey: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${stepKey}: ${detail}`, options);
    this.name = 'StepError';
  }
}
