/**
 * The Postman Collection Format v2.1.0, as a zod schema: the structure check every exported collection
 * passes before it is written.
 *
 * Written from the format's JSON schema, https://schema.getpostman.com/json/collection/v2.1.0/collection.json
 * (sources: github.com/postmanlabs/schemas, schemas/draft-07/v2.1.0/collection/*.json, and the format's
 * docs at https://learning.postman.com/collection-format/getting-started/structure-of-a-collection/). Body `options` and mode `graphql` are from the
 * published schema's later revision, which Postman itself writes (`options.raw.language: "json"`).
 *
 * One deliberate difference: the spec leaves its objects open, and Postman ignores keys it does not know,
 * so a misspelt key (`headers` for `header`) would import as silently missing. Here every object is strict:
 * whatever passes this check also passes the spec's schema, but not the other way round.
 * Response examples and scripts are checked loosely: the exporters write none.
 */
import * as z from 'zod';

export const POSTMAN_COLLECTION_V2_1_SCHEMA_URL =
  'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

const descriptionSchema = z.union([
  z.string(),
  z.null(),
  z.strictObject({ content: z.string().optional(), type: z.string().optional(), version: z.unknown().optional() }),
]);

const variableSchema = z
  .strictObject({
    id: z.string().optional(),
    key: z.string().optional(),
    value: z.unknown().optional(),
    type: z.enum(['string', 'boolean', 'any', 'number']).optional(),
    name: z.string().optional(),
    description: descriptionSchema.optional(),
    system: z.boolean().optional(),
    disabled: z.boolean().optional(),
  })
  .refine((variable) => variable.id !== undefined || variable.key !== undefined, 'a variable needs an id or a key');

const authAttributesSchema = z.array(
  z.strictObject({ key: z.string(), value: z.unknown().optional(), type: z.string().optional() }),
);

export const postmanAuthSchema = z.strictObject({
  type: z.enum([
    'apikey',
    'awsv4',
    'basic',
    'bearer',
    'digest',
    'edgegrid',
    'hawk',
    'noauth',
    'oauth1',
    'oauth2',
    'ntlm',
  ]),
  noauth: z.unknown().optional(),
  apikey: authAttributesSchema.optional(),
  awsv4: authAttributesSchema.optional(),
  basic: authAttributesSchema.optional(),
  bearer: authAttributesSchema.optional(),
  digest: authAttributesSchema.optional(),
  edgegrid: authAttributesSchema.optional(),
  hawk: authAttributesSchema.optional(),
  ntlm: authAttributesSchema.optional(),
  oauth1: authAttributesSchema.optional(),
  oauth2: authAttributesSchema.optional(),
});

const urlSchema = z.union([
  z.string(),
  z.strictObject({
    raw: z.string().optional(),
    protocol: z.string().optional(),
    host: z.union([z.string(), z.array(z.string())]).optional(),
    path: z
      .union([
        z.string(),
        z.array(z.union([z.string(), z.strictObject({ type: z.string().optional(), value: z.string().optional() })])),
      ])
      .optional(),
    port: z.string().optional(),
    query: z
      .array(
        z.strictObject({
          key: z.string().nullable().optional(),
          value: z.string().nullable().optional(),
          disabled: z.boolean().optional(),
          description: descriptionSchema.optional(),
        }),
      )
      .optional(),
    hash: z.string().optional(),
    variable: z.array(variableSchema).optional(),
  }),
]);

const headerSchema = z.strictObject({
  key: z.string(),
  value: z.string(),
  disabled: z.boolean().optional(),
  description: descriptionSchema.optional(),
});

const keyValueParameterSchema = z.strictObject({
  key: z.string(),
  value: z.string().optional(),
  disabled: z.boolean().optional(),
  type: z.enum(['text', 'file']).optional(),
  src: z.union([z.string(), z.array(z.string()), z.null()]).optional(),
  contentType: z.string().optional(),
  description: descriptionSchema.optional(),
});

const bodySchema = z.strictObject({
  mode: z.enum(['raw', 'urlencoded', 'formdata', 'file', 'graphql']).optional(),
  raw: z.string().optional(),
  urlencoded: z.array(keyValueParameterSchema).optional(),
  formdata: z.array(keyValueParameterSchema).optional(),
  file: z.strictObject({ src: z.string().nullable().optional(), content: z.string().optional() }).optional(),
  graphql: z.record(z.string(), z.unknown()).optional(),
  options: z.record(z.string(), z.unknown()).optional(),
  disabled: z.boolean().optional(),
});

const requestSchema = z.union([
  z.string(),
  z.strictObject({
    url: urlSchema.optional(),
    auth: postmanAuthSchema.nullable().optional(),
    proxy: z.looseObject({}).optional(),
    certificate: z.looseObject({}).optional(),
    // The spec lists the standard methods and allows any other ("custom") method name.
    method: z.string().optional(),
    description: descriptionSchema.optional(),
    header: z.union([z.array(headerSchema), z.string()]).optional(),
    body: bodySchema.nullable().optional(),
  }),
]);

const eventListSchema = z.array(z.looseObject({ listen: z.string() }));

export const postmanRequestItemSchema = z.strictObject({
  id: z.string().optional(),
  name: z.string().optional(),
  description: descriptionSchema.optional(),
  variable: z.array(variableSchema).optional(),
  event: eventListSchema.optional(),
  request: requestSchema,
  response: z.array(z.looseObject({})).optional(),
  protocolProfileBehavior: z.looseObject({}).optional(),
});

type PostmanRequestItem = z.infer<typeof postmanRequestItemSchema>;

export interface PostmanFolder {
  name?: string | undefined;
  description?: z.infer<typeof descriptionSchema> | undefined;
  variable?: z.infer<typeof variableSchema>[] | undefined;
  item: Array<PostmanRequestItem | PostmanFolder>;
  event?: z.infer<typeof eventListSchema> | undefined;
  auth?: z.infer<typeof postmanAuthSchema> | null | undefined;
  protocolProfileBehavior?: Record<string, unknown> | undefined;
}

export const postmanFolderSchema: z.ZodType<PostmanFolder> = z.strictObject({
  name: z.string().optional(),
  description: descriptionSchema.optional(),
  variable: z.array(variableSchema).optional(),
  get item() {
    return z.array(z.union([postmanRequestItemSchema, postmanFolderSchema]));
  },
  event: eventListSchema.optional(),
  auth: postmanAuthSchema.nullable().optional(),
  protocolProfileBehavior: z.looseObject({}).optional(),
});

export const postmanCollectionSchema = z.strictObject({
  info: z.strictObject({
    name: z.string(),
    _postman_id: z.string().optional(),
    description: descriptionSchema.optional(),
    version: z
      .union([z.string(), z.looseObject({ major: z.number(), minor: z.number(), patch: z.number() })])
      .optional(),
    schema: z.literal(POSTMAN_COLLECTION_V2_1_SCHEMA_URL),
  }),
  item: z.array(z.union([postmanRequestItemSchema, postmanFolderSchema])),
  event: eventListSchema.optional(),
  variable: z.array(variableSchema).optional(),
  auth: postmanAuthSchema.nullable().optional(),
  protocolProfileBehavior: z.looseObject({}).optional(),
});

export type PostmanCollection = z.infer<typeof postmanCollectionSchema>;
export type PostmanRequest = Exclude<PostmanRequestItem['request'], string>;
export type { PostmanRequestItem };
export type PostmanAuth = z.infer<typeof postmanAuthSchema>;
export type PostmanVariable = z.infer<typeof variableSchema>;
