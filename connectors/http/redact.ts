/**
 * Secrets never reach logs or error messages: every text a client shows passes through a redactor that
 * knows the credentials and tokens it holds.
 */
const BEARER = /\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi;
const SECRET_FIELDS =
  /("?(?:access_token|refresh_token|client_secret|password|token)"?\s*[:=]\s*)("[^"]*"|[^\s,&}]+)/gi;

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a value that must never be shown (ignores values too short to be secrets). */
  add(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  redact(text: string): string {
    let result = text.replace(BEARER, '$1 [redacted]').replace(SECRET_FIELDS, '$1[redacted]');
    for (const secret of this.secrets) result = result.split(secret).join('[redacted]');
    return result;
  }
}
