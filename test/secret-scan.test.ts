/**
 * No credential in anything the pack commits or ships: the fixtures (fixtures/**), the built artefacts
 * (dist/scripts/*.js, dist/connectors/*.json; `npm test` builds first), README.md and docs/, the client configs and the
 * flows rendered from them, and a flow run's log and HTML report are scanned for bearer
 * tokens, JWTs, AWS access keys, private key blocks and credential-like values in secret-named fields; the
 * bundles must also not read `process.env` nor carry a value of the build machine's environment.
 *
 * The fixtures' deliberate placeholders are allowed by rule, not by file: `{{variable}}` templates, values
 * starting `example-` or `sandbox-` (lowercase words and digits joined by hyphens), anything saying
 * `not-a-real`, and empty or null values.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtemp } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS as NETSUITE_SANDBOX } from '../connectors/netsuite/dev/sandbox.js';
import { SANDBOX_CREDENTIALS as SPARKLAYER_SANDBOX } from '../connectors/sparklayer/dev/sandbox.js';
import { renderClient } from '../patchworks/build/render-client.js';
import { runLog, runReportHtml } from '../patchworks/report/flow-run-report.js';
import { SAMPLE_ORDER, sandboxFlows } from './support/flow-harness.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Finding {
  /** Repository-relative file. */
  file: string;
  /** `line N` for text, a JSON path (`$.body.access_token`) for JSON. */
  where: string;
  rule: string;
}

/** Patterns that are a credential wherever they appear. */
const PATTERNS: Array<{ rule: string; pattern: RegExp }> = [
  { rule: 'bearer token', pattern: /\bBearer\s+[A-Za-z0-9\-._~+/]{16,}=*/ },
  { rule: 'JWT', pattern: /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/ },
  { rule: 'AWS access key', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { rule: 'private key block', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
];

/** Field names that hold a credential: secret, token, password, client_secret, consumer_secret, tokenSecret… */
function isSecretName(name: string): boolean {
  return /(?:secret|token|password|passwd|apikey|tokenid|privatekey|accesskey)$/.test(
    name.toLowerCase().replace(/[^a-z0-9]/g, ''),
  );
}

/** The deliberate placeholders the fixtures and connector exports use. */
function isPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  return (
    trimmed === '' ||
    /^\{\{\s*[\w.-]+\s*\}\}$/.test(trimmed) ||
    /^(?:example|sandbox)-[a-z0-9]+(?:-[a-z0-9]+)*$/.test(trimmed) ||
    trimmed.includes('not-a-real')
  );
}

/** Shannon entropy in bits per character. */
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** A secret-named field's value that is a real-looking credential: long, unbroken, high-entropy, no placeholder. */
function isCredentialValue(value: string): boolean {
  return !isPlaceholder(value) && /^\S{12,}$/.test(value) && entropy(value) >= 3;
}

function patternRules(text: string): string[] {
  return PATTERNS.filter(({ pattern }) => pattern.test(text)).map(({ rule }) => rule);
}

/** Scans text line by line: the patterns, plus `name: "value"` / `name = 'value'` with a secret name. */
function scanText(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  const assignment = /(["'`]?)([A-Za-z_$][\w$-]*)\1\s*[:=]\s*(["'`])([^"'`\n]*)\3/g;
  text.split('\n').forEach((line, index) => {
    const where = `line ${index + 1}`;
    for (const rule of patternRules(line)) findings.push({ file, where, rule });
    for (const [, , name, , value] of line.matchAll(assignment)) {
      if (name && value !== undefined && isSecretName(name) && isCredentialValue(value)) {
        findings.push({ file, where, rule: `credential in "${name}"` });
      }
    }
  });
  return findings;
}

const jsonPath = (parent: string, key: string | number): string =>
  typeof key === 'number'
    ? `${parent}[${key}]`
    : /^[A-Za-z_$][\w$]*$/.test(key)
      ? `${parent}.${key}`
      : `${parent}[${JSON.stringify(key)}]`;

/**
 * Scans parsed JSON: every string for the patterns, every secret-named field's string value, and Postman's
 * `{ "key": "client_secret", "value": "…" }` pairs.
 */
function scanJson(file: string, value: unknown, where = '$'): Finding[] {
  if (typeof value === 'string') return patternRules(value).map((rule) => ({ file, where, rule }));
  if (Array.isArray(value)) return value.flatMap((item, index) => scanJson(file, item, jsonPath(where, index)));
  if (!value || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const findings: Finding[] = [];
  for (const [key, child] of Object.entries(record)) {
    const childPath = jsonPath(where, key);
    if (isSecretName(key) && typeof child === 'string' && isCredentialValue(child)) {
      findings.push({ file, where: childPath, rule: `credential in "${key}"` });
    }
    findings.push(...scanJson(file, child, childPath));
  }
  const { key, value: pairValue } = record;
  if (typeof key === 'string' && isSecretName(key) && typeof pairValue === 'string' && isCredentialValue(pairValue)) {
    findings.push({ file, where: jsonPath(where, 'value'), rule: `credential in "${key}"` });
  }
  return findings;
}

/** Scans one file: JSON structurally (with JSON paths), everything else as text (with line numbers). */
function scanFile(file: string, text: string): Finding[] {
  if (file.endsWith('.json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return [...scanText(file, text), { file, where: 'line 1', rule: 'unparseable JSON (scanned as text)' }];
    }
    return scanJson(file, parsed);
  }
  return scanText(file, text);
}

/** Values of the build machine's environment that must not be baked into a bundle (longer than 5 characters). */
function machineValues(env: NodeJS.ProcessEnv = process.env): Array<{ name: string; value: string }> {
  const candidates: Array<[string, string | undefined]> = [
    ...['PATH', 'HOME', 'HOSTNAME', 'USER', 'LOGNAME', 'PWD'].map((name): [string, string | undefined] => [
      name,
      env[name],
    ]),
    ['os.hostname()', os.hostname()],
    ['os.homedir()', os.homedir()],
    ['process.cwd()', process.cwd()],
  ];
  return candidates
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].length > 5)
    .map(([name, value]) => ({ name, value }));
}

/** A bundle must neither read the environment nor contain a value of the machine that built it. */
function scanBundle(file: string, text: string, values = machineValues()): Finding[] {
  const findings = scanText(file, text);
  text.split('\n').forEach((line, index) => {
    if (/\bprocess\s*(?:\.\s*env\b|\[\s*["'`]env["'`]\s*\])/.test(line)) {
      findings.push({ file, where: `line ${index + 1}`, rule: 'process.env' });
    }
    for (const { name, value } of values) {
      if (line.includes(value)) findings.push({ file, where: `line ${index + 1}`, rule: `value of ${name}` });
    }
  });
  return findings;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
    })
    .sort();
}

const relative = (file: string): string => path.relative(ROOT, file).split(path.sep).join('/');
const read = (file: string): string => readFileSync(file, 'utf8');
const describeFindings = (findings: Finding[]): string =>
  findings.map(({ file, where, rule }) => `${file} ${where}: ${rule}`).join('\n');

describe('the secret scanner catches planted credentials', () => {
  // Assembled from pieces so that this file itself holds nothing a scanner of the repository would flag.
  const jwt = [
    'eyJhbGciOiJIUzI1NiJ9',
    'eyJzdWIiOiIxMjM0NTY3ODkwIn0',
    'dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  ].join('.');
  const aws = `AKIA${'IOSFODNN7EXAMPLE'}`;
  const keyBlock = `-----BEGIN ${'RSA PRIVATE'} KEY-----`;
  const opaque = 'q8Z2vN7xKp4LmT9wRb3YcF6hJ1sD5gA0';

  it.each([
    ['bearer token', `Authorization: Bearer ${opaque}`],
    ['JWT', `token=${jwt}`],
    ['AWS access key', `aws_access_key_id=${aws}`],
    ['private key block', keyBlock],
    ['private key block', `-----BEGIN ${'OPENSSH PRIVATE'} KEY-----`],
    ['private key block', `-----BEGIN ${'PGP PRIVATE'} KEY BLOCK-----`],
  ])('flags a %s in text', (rule, line) => {
    expect(scanText('planted.txt', `first line\n${line}\n`)).toContainEqual({
      file: 'planted.txt',
      where: 'line 2',
      rule,
    });
  });

  it('flags the patterns inside JSON strings, by JSON path', () => {
    const findings = scanJson('planted.json', { headers: [{ Authorization: `Bearer ${opaque}` }], id_token: jwt });
    expect(findings).toContainEqual({
      file: 'planted.json',
      where: '$.headers[0].Authorization',
      rule: 'bearer token',
    });
    expect(findings).toContainEqual({ file: 'planted.json', where: '$.id_token', rule: 'JWT' });
  });

  it.each([
    'secret',
    'token',
    'password',
    'client_secret',
    'consumer_secret',
    'token_secret',
    'refresh_token',
    'clientSecret',
    'tokenSecret',
  ])('flags a high-entropy value in a field named %s, in JSON and in code', (name) => {
    expect(scanJson('planted.json', { auth: { [name]: opaque } })).toContainEqual({
      file: 'planted.json',
      where: `$.auth.${name}`,
      rule: `credential in "${name}"`,
    });
    expect(scanText('planted.js', `const auth = { ${name}: "${opaque}" };`)).toContainEqual({
      file: 'planted.js',
      where: 'line 1',
      rule: `credential in "${name}"`,
    });
  });

  it("flags Postman's key/value pairs", () => {
    expect(scanJson('planted.json', { auth: [{ key: 'consumer_secret', value: opaque }] })).toContainEqual({
      file: 'planted.json',
      where: '$.auth[0].value',
      rule: 'credential in "consumer_secret"',
    });
  });

  it('allows the deliberate placeholders and harmless secret-ish fields', () => {
    const allowed = {
      access_token: 'example-access-token-not-a-real-token-0001',
      refresh_token: 'example-new-refresh-token',
      client_secret: '{{client_secret}}',
      token_secret: '',
      consumer_secret: null,
      password: 'sandbox-password-0001',
      token_type: 'Bearer',
      tokenName: 'SparkLayer access token',
      response_authentication_token_key: 'access_token',
      note: 'the sample\'s token values ("eyJ0e...", "def50...") are replaced by placeholders',
      auth: [
        { key: 'client_secret', value: '' },
        { key: 'clientSecret', value: '{{client_secret}}' },
      ],
    };
    expect(scanJson('allowed.json', allowed)).toEqual([]);
    expect(scanText('allowed.md', 'the access token goes in the Authorization: Bearer header')).toEqual([]);
  });

  it('does not take a placeholder look-alike with a real value for a placeholder', () => {
    expect(isPlaceholder(`example-${opaque}`)).toBe(false);
    expect(isPlaceholder(`{{x}}${opaque}`)).toBe(false);
    expect(scanJson('planted.json', { client_secret: `sandbox-${opaque}` })).toHaveLength(1);
  });

  it('flags process.env and the machine environment in a bundle', () => {
    const values = [{ name: 'HOME', value: '/home/builder' }];
    const bundle =
      'const a = 1;\nconst key = process.env.API_KEY;\nconst b = process["env"];\nconst dir = "/home/builder/pack";\n';
    expect(scanBundle('planted.js', bundle, values)).toEqual([
      { file: 'planted.js', where: 'line 2', rule: 'process.env' },
      { file: 'planted.js', where: 'line 3', rule: 'process.env' },
      { file: 'planted.js', where: 'line 4', rule: 'value of HOME' },
    ]);
  });

  it('only looks for machine values longer than 5 characters', () => {
    const names = machineValues({ PATH: '/usr/local/bin:/usr/bin', HOME: '/root', HOSTNAME: 'box' }).map((v) => v.name);
    expect(names).toContain('PATH');
    expect(names).not.toContain('HOME');
    expect(names).not.toContain('HOSTNAME');
  });
});

describe('the repository and the artefacts carry no credentials', () => {
  it('the committed fixtures (fixtures/**)', () => {
    const files = filesUnder(path.join(ROOT, 'fixtures'));
    expect(files.length).toBeGreaterThan(0);
    const findings = files.flatMap((file) => scanFile(relative(file), read(file)));
    expect(findings, describeFindings(findings)).toEqual([]);
  });

  it('the connector definitions (dist/connectors/*.json)', () => {
    const dir = path.join(ROOT, 'dist', 'connectors');
    const files = readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .map((file) => path.join(dir, file));
    expect(files.length).toBeGreaterThan(0);
    const findings = files.flatMap((file) => scanFile(relative(file), read(file)));
    expect(findings, describeFindings(findings)).toEqual([]);
  });

  it('the script bundles (dist/scripts/*.js): no credential, no process.env, nothing of this machine', () => {
    const dir = path.join(ROOT, 'dist', 'scripts');
    const files = readdirSync(dir)
      .filter((file) => file.endsWith('.js'))
      .map((file) => path.join(dir, file));
    expect(files.length).toBeGreaterThan(0);
    const values = machineValues();
    expect(values.length).toBeGreaterThan(0);
    const findings = files
      .filter((file) => statSync(file).isFile())
      .flatMap((file) => scanBundle(relative(file), read(file), values));
    expect(findings, describeFindings(findings)).toEqual([]);
  });

  it('README.md, the docs (docs/**/*.md) and the blueprint READMEs', () => {
    const docs = (readdirSync(path.join(ROOT, 'docs'), { recursive: true }) as string[])
      .filter((file) => file.endsWith('.md'))
      .map((file) => path.join('docs', file));
    const blueprintReadmes = readdirSync(path.join(ROOT, 'blueprints')).map((key) =>
      path.join('blueprints', key, 'README.md'),
    );
    const files = ['README.md', ...docs, ...blueprintReadmes];
    expect(docs.length).toBeGreaterThan(10);
    const findings = files.flatMap((file) => scanFile(file, read(path.join(ROOT, file))));
    expect(findings, describeFindings(findings)).toEqual([]);
  });

  it('the client configs (clients/*.json) and the flows rendered from them', async () => {
    const clientFiles = readdirSync(path.join(ROOT, 'clients')).map((file) => path.join(ROOT, 'clients', file));
    const outDir = await mkdtemp(path.join(os.tmpdir(), 'rendered-'));
    const findings = clientFiles.flatMap((file) => scanFile(relative(file), read(file)));
    for (const file of clientFiles) {
      for (const artefact of await renderClient(ROOT, file, '2026-11-22T00:00:00.000Z', outDir)) {
        if (!artefact.file.endsWith('.js'))
          findings.push(...scanFile(path.relative(outDir, artefact.file), read(artefact.file)));
      }
    }
    expect(findings, describeFindings(findings)).toEqual([]);
  });

  it("a flow run's log and HTML report, with a client error in them", async () => {
    const flows = await sandboxFlows();
    flows.sandbox.faults.netsuite.add(`PUT /record/v1/salesOrder/eid:${SAMPLE_ORDER}`, {
      status: 400,
      body: { title: 'Bad Request', 'o:errorDetails': [{ detail: 'refused' }] },
    });
    const results = [
      await flows.run('sparklayer-orders-to-netsuite'),
      await flows.run('netsuite-credit-hold-to-sparklayer'),
    ];
    expect(results[0]!.failed).toHaveLength(1);
    const log = results.flatMap(runLog).join('\n');
    const findings = [...scanFile('run log', log), ...scanFile('run-report.html', runReportHtml(results, 'scan'))];
    expect(findings, describeFindings(findings)).toEqual([]);
    // The sandbox's own made-up credentials are not secrets, but a run log must not carry them either.
    for (const value of [
      SPARKLAYER_SANDBOX.clientSecret,
      NETSUITE_SANDBOX.consumerSecret,
      NETSUITE_SANDBOX.tokenSecret,
    ])
      expect(log).not.toContain(value);
  });
});
