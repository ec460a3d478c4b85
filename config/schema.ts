// JSON Schema of conform.config.* (validated with ajv; keep in step with `ConformConfig` in index.ts).
const stringArray = { type: 'array', items: { type: 'string' } } as const;
const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;
const ms = { type: 'integer', minimum: 100 } as const;

export const CONFIG_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    app: { type: 'string', minLength: 1 },
    pack: { type: 'string', minLength: 1 },
    electron: { type: 'string', minLength: 1 },
    node: { type: 'string', minLength: 1 },
    seed: { type: 'integer', minimum: 0 },
    grep: { type: 'string' },
    reporters: { type: 'array', items: { type: 'string' }, minItems: 1 },
    out: { type: 'string', minLength: 1 },
    failOn: { enum: ['error', 'warning'] },
    baseline: { type: 'string', minLength: 1 },
    waivers: { type: 'string', minLength: 1 },
    updateBaseline: { type: 'string', minLength: 1 },
    callTimeout: ms,
    streamTimeout: ms,
    launch: {
      type: 'object',
      additionalProperties: false,
      properties: {
        args: stringArray,
        env: stringMap,
        cwd: { type: 'string', minLength: 1 },
        timeout: { type: 'integer', minimum: 1000 },
        servers: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['command'],
            properties: {
              name: { type: 'string' },
              command: { type: 'string', minLength: 1 },
              args: stringArray,
              cwd: { type: 'string', minLength: 1 },
              env: stringMap,
              ready: {
                type: 'object',
                additionalProperties: false,
                minProperties: 1,
                properties: {
                  url: { type: 'string', pattern: '^https?://' },
                  port: { type: 'integer', minimum: 1, maximum: 65535 },
                  output: { type: 'string', minLength: 1 },
                },
              },
              timeout: { type: 'integer', minimum: 100 },
            },
          },
        },
      },
    },
  },
} as const;
