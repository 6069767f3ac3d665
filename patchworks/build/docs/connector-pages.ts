/**
 * docs/connectors/<system>.md, one page per connector, and docs/connectors/README.md, their index: generated from the
 * connector's OpenAPI document (connectors/<system>/openapi.json: its operations) and its Patchworks facts
 * (connectors/<system>/dev/patchworks-connector.ts: authentication, variables, rate limit, which endpoints page and
 * how), both read as the build reads them (loadConnectorApis). How the pack's client behaves, how to connect an
 * instance and what the tools read from the environment are hand-written on the page, outside the generated blocks.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { walkShapes } from '../../blueprint/blueprint.js';
import {
  allVariables,
  endpointFacts,
  type ConnectorAuthentication,
  type ConnectorVariable,
  type PatchworksConnectorFacts,
} from '../../../contracts/connector-source.js';
import { handSetPagination } from '../../exporters/core-api.js';
import { HAND_WRITTEN_PLACEHOLDER, type Page } from './blocks.js';
import { blueprintPage, connectorPage, type DocsContext } from './context.js';
import { cell, code, relativeLink, table } from './markdown.js';

const CONNECTORS_INDEX = 'docs/connectors/README.md';

/** The first sentence of a description: up to the first full stop outside brackets that ends the text or a word. */
export function firstSentence(text: string | undefined): string {
  if (!text) return '';
  const flat = text.replace(/\s+/g, ' ').trim();
  let depth = 0;
  for (let i = 0; i < flat.length; i++) {
    const char = flat[i];
    if (char === '(' || char === '[') depth++;
    else if ((char === ')' || char === ']') && depth > 0) depth--;
    else if (
      char === '.' &&
      depth === 0 &&
      (i === flat.length - 1 || flat[i + 1] === ' ') &&
      !/\b(e\.g|i\.e|etc|cf|vs)$/i.test(flat.slice(0, i))
    )
      return flat.slice(0, i + 1);
  }
  return flat;
}

function authentication(auth: ConnectorAuthentication): string {
  const headers =
    auth.headers.length > 0 ? auth.headers.map((header) => code(`${header.key}: ${header.value}`)).join(', ') : 'none';
  switch (auth.kind) {
    case 'oauth2-client-credentials':
      return [
        `**OAuth 2 client credentials** (the definition's "${auth.name}"). The token is requested from ` +
          `${code(auth.tokenUrl)} with ${auth.tokenBodyFormat === 'json' ? 'a JSON body' : 'a form body'} ` +
          `(grant type, client ID and secret), and read from the answer's ${code(auth.responseTokenKey)}.`,
        `Headers sent with the token request and every request: ${headers}.`,
      ].join(' ');
    case 'api-key-header':
      return [
        `**API key** (the definition's "${auth.name}"): the ${code(auth.key.key)} variable is sent as the ` +
          `${code(auth.header)} header of every request; there is no token request.`,
        `Headers sent with every request: ${headers}.`,
      ].join(' ');
    case 'oauth1-token-based':
      return [
        `**OAuth 1.0a, token-based** (the definition's "${auth.name}"). Every request is signed ` +
          `(${auth.signatureMethod}) with the consumer key and secret and the token and its secret, issued ` +
          `ahead of time; there is no token request. Realm: ${code(auth.realm)}.`,
        `Headers sent with every request: ${headers}.`,
      ].join(' ');
    case 'oauth2-authorization-code':
      return [
        `**OAuth 2 authorization code** (the definition's "${auth.name}"). The store or account owner ` +
          `approves the connection once at ${code(auth.authorizeUrl)}; the code, and later the refresh ` +
          `token, is exchanged at ${code(auth.tokenUrl)} ` +
          `(${auth.tokenBodyFormat === 'json' ? 'JSON body' : 'form body'}), and the access token read ` +
          `from ${code(auth.responseTokenKey)}.`,
        `Redirect URI to register in the vendor's app: ${code(auth.redirectUri)}. Scopes: ` +
          `${auth.scope === '' ? 'none asked for' : code(auth.scope)}. PKCE: ${auth.pkce ? 'yes' : 'no'}.`,
        auth.refreshTokenRotates
          ? 'Each refresh returns a new refresh token and revokes the one used: whoever stores it must keep the newest.'
          : '',
        `Headers sent with every request: ${headers}.`,
      ]
        .filter((part) => part !== '')
        .join(' ');
  }
}

function variablesTable(facts: PatchworksConnectorFacts): string {
  const value = (variable: ConnectorVariable) =>
    variable.secret
      ? '(secret: entered on the instance)'
      : variable.value === null
        ? '(none: set it on the instance)'
        : code(variable.value);
  return table(
    ['variable', 'label', 'required', 'default', 'what to enter'],
    allVariables(facts).map((variable) => [
      code(variable.key),
      cell(variable.label),
      variable.required ? 'yes' : 'no',
      value(variable),
      cell(variable.description),
    ]),
  );
}

interface OpenApiHead {
  title: string;
  servers: Array<{ url: string; description?: string }>;
}

function readHead(root: string, file: string): OpenApiHead {
  const json = JSON.parse(readFileSync(path.join(root, file), 'utf8')) as {
    info: { title: string };
    servers?: Array<{ url: string; description?: string }>;
  };
  return { title: json.info.title, servers: json.servers ?? [] };
}

export function connectorPages(context: DocsContext): Page[] {
  return [...context.connectors].map(([key, { source, api }]): Page => {
    const file = connectorPage(key);
    const facts = source.facts;
    const openApiFile = source.openApiFile.split(path.sep).join('/');
    const factsFile = `connectors/${key}/dev/patchworks-connector.ts`;
    const head = readHead(context.root, source.openApiFile);
    const used = (operationId: string) =>
      context.blueprints
        .filter((blueprint) =>
          [...walkShapes(blueprint.shapes)].some(
            (shape) => shape.type === 'connection' && shape.connector === key && shape.endpoint === operationId,
          ),
        )
        .map((blueprint) => `[${code(blueprint.key)}](${relativeLink(file, blueprintPage(blueprint.key))})`);
    const records = (operationId: string) => {
      const endpoint = endpointFacts(facts, operationId);
      if (!endpoint.returnsMultipleRecords) return 'one';
      const under = endpoint.dataPath === null ? '' : `, under ${code(endpoint.dataPath)}`;
      const pages = endpoint.paginationMethod === null ? '' : `; pages: ${endpoint.paginationMethod}`;
      return `many${under}${pages}`;
    };
    const paged = api.operations.filter(
      (operation) => endpointFacts(facts, operation.operationId).paginationMethod !== null,
    );
    const summary = [
      `# ${facts.system.name} connector (${code(key)})`,
      '',
      facts.system.label,
      '',
      table(
        ['', ''],
        [
          ['Patchworks system type', facts.system.systemType],
          ['every endpoint URL starts', code(facts.baseUrl)],
          [
            'servers (OpenAPI)',
            head.servers
              .map((server) => `${code(server.url)}${server.description ? ` (${cell(server.description)})` : ''}`)
              .join('; ') || '(none)',
          ],
          [
            'the API, as the pack writes it',
            `[${code(openApiFile)}](${relativeLink(file, openApiFile)}), "${cell(head.title)}", version ${api.version}`,
          ],
          ['the Patchworks facts', `[${code(factsFile)}](${relativeLink(file, factsFile)})`],
          [
            'built to',
            `${code(`dist/connectors/${key}.postman_collection.json`)} and ` +
              `${code(`dist/connectors/${key}.core-api.json`)} (${code('npm run build')})`,
          ],
          ['dates', `PHP date format ${code(facts.system.dateFormat)}`],
          ['vendor documentation', facts.system.helpLink],
        ],
      ),
      '',
      '## Rate limit',
      '',
      `The connector definition declares ${facts.system.rateLimit.requests} requests per ` +
        `${facts.system.rateLimit.per}. What the vendor itself allows, and how the pack's client paces ` +
        `itself, is below.`,
      '',
      '## Authentication',
      '',
      authentication(facts.authentication),
      '',
      '## Variables',
      '',
      "Connector variables (usable in the authentication and every endpoint) and the authentication's " +
        "credentials. No secret value is in the pack: each is entered on the client's instance.",
      '',
      variablesTable(facts),
      '',
      '## Pagination',
      '',
      paged.length > 0
        ? table(
            ['endpoint', 'pagination method', 'set by hand in Patchworks', 'records under'],
            paged.map((operation) => {
              const endpoint = endpointFacts(facts, operation.operationId);
              return [
                code(operation.operationId),
                endpoint.paginationMethod!,
                handSetPagination(endpoint) ?? '',
                endpoint.dataPath === null ? '(the answer itself)' : code(endpoint.dataPath),
              ];
            }),
          )
        : 'No endpoint pages.',
      '',
      '## Endpoints',
      '',
      `Every operation in ${code(openApiFile)}; a blueprint's connection shape names one by its operationId.`,
      '',
      table(
        ['operationId', 'method and path', 'what it is for', 'records', 'used by'],
        api.operations.map((operation) => [
          code(operation.operationId),
          code(`${operation.method} ${operation.server ?? ''}${operation.path}`),
          cell(
            [
              `**${operation.name}.**`,
              firstSentence(operation.description),
              operation.authenticated ? '' : '(No authentication.)',
            ]
              .filter((part) => part !== '')
              .join(' '),
          ),
          records(operation.operationId),
          used(operation.operationId).join(', ') || '',
        ]),
      ),
    ].join('\n');
    const about = [
      '## About the OpenAPI document',
      '',
      `From the document's own description (${code('info.description')}):`,
      '',
      (api.description ?? '(none)')
        .trim()
        .split('\n')
        .map((line) => (line.trim() === '' ? '>' : `> ${line}`))
        .join('\n'),
    ].join('\n');
    return {
      file,
      blocks: [
        { name: 'reference', source: `${openApiFile} and ${factsFile}`, content: summary },
        { name: 'openapi', source: openApiFile, content: about },
      ],
      skeleton: ([reference, openapi]) => `${reference}\n\n${HAND_WRITTEN_PLACEHOLDER}\n\n${openapi}\n`,
    };
  });
}

/** docs/connectors/README.md: every connector, and the flows that use it. */
export function connectorsIndexPage(context: DocsContext): Page {
  const file = CONNECTORS_INDEX;
  const rows = [...context.connectors].map(([key, { source, api }]) => {
    const flows = context.blueprints.filter((blueprint) =>
      [...walkShapes(blueprint.shapes)].some((shape) => shape.type === 'connection' && shape.connector === key),
    );
    return [
      `[${source.facts.system.name}](${key}.md)`,
      cell(source.facts.system.label),
      String(api.operations.length),
      flows
        .map((blueprint) => `[${code(blueprint.key)}](${relativeLink(file, blueprintPage(blueprint.key))})`)
        .join(', ') || '(none)',
    ];
  });
  const content = [
    '# Connectors',
    '',
    'One page per connector, generated from its OpenAPI document and its Patchworks facts.',
    '',
    table(['connector', 'what it reaches', 'endpoints', 'used by'], rows),
  ].join('\n');
  return {
    file,
    blocks: [
      { name: 'index', source: 'connectors/*/openapi.json and connectors/*/dev/patchworks-connector.ts', content },
    ],
    skeleton: ([block]) => `${block}\n\n${HAND_WRITTEN_PLACEHOLDER}\n`,
  };
}
