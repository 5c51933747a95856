/**
 * The alert routes of SPEC 9 in the v1 OpenAPI document, their schemas generated from the zod
 * schemas that validate them (the configuration file, the acknowledge body).
 */
import { z } from 'zod';
import { ALERT_SEVERITIES, ALERT_STATES } from '@/db/schema';
import { acknowledgeBody } from '@/lib/alerts/api';
import { alertConfigSchema } from '@/lib/alerts/config-schema';

const schemaOf = (s: z.ZodType) => {
  const { $schema: _s, ...rest } = z.toJSONSchema(s, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Record<string, unknown>;
  return rest;
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const error = (description: string) => ({ description, content: { 'application/json': { schema: ref('Error') } } });
const auth = {
  '401': error('Missing, wrong or revoked API key (or no session).'),
  '403': error('The key lacks the scope (`insufficient_scope`), or the role may not.'),
};

/** Component schemas and paths, merged into the document by lib/api/openapi.ts's caller. */
export function alertsOpenApi() {
  return {
    schemas: {
      Alert: {
        type: 'object',
        description: "SPEC 9's alert object: the webhook body's `alert`.",
        required: ['id', 'ruleId', 'ruleName', 'severity', 'facility', 'value', 'threshold', 'state', 'url'],
        properties: {
          id: { type: 'integer' },
          ruleId: { type: 'string' },
          ruleName: { type: 'string' },
          severity: { type: 'string', enum: [...ALERT_SEVERITIES] },
          facility: { type: ['string', 'null'], description: 'null: all facilities together' },
          value: { type: ['number', 'null'] },
          threshold: { type: 'number' },
          state: { type: 'string', enum: [...ALERT_STATES] },
          startedAt: { type: ['string', 'null'], format: 'date-time' },
          resolvedAt: { type: ['string', 'null'], format: 'date-time' },
          acknowledgedBy: { type: ['string', 'null'] },
          url: { type: 'string', description: 'the dashboard filtered to the alert’s scope' },
        },
      },
      AlertConfig: schemaOf(alertConfigSchema),
      AcknowledgeRequest: schemaOf(acknowledgeBody),
    },
    paths: {
      '/api/v1/alerts': {
        get: {
          summary: 'Alerts (SPEC 9), firing first',
          description: 'Needs the `read` scope.',
          security: [{ apiKey: [] }],
          parameters: [{ name: 'state', in: 'query', schema: { type: 'string', enum: [...ALERT_STATES] } }],
          responses: {
            '200': {
              description: 'The alerts',
              content: {
                'application/json': {
                  schema: { type: 'object', properties: { alerts: { type: 'array', items: ref('Alert') } } },
                },
              },
            },
            '400': error('An unknown state.'),
            ...auth,
          },
        },
      },
      '/api/v1/alerts/{id}/acknowledge': {
        post: {
          summary: 'Acknowledge a firing alert',
          description:
            'Needs the `admin` scope (or a session of ops, it, admin). The alert stays quiet until it resolves; ' +
            'PagerDuty channels hear `acknowledge`.',
          security: [{ apiKey: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          requestBody: { required: true, content: { 'application/json': { schema: ref('AcknowledgeRequest') } } },
          responses: {
            '200': {
              description: 'The alert, acknowledged',
              content: {
                'application/json': { schema: { type: 'object', properties: { alert: ref('Alert') } } },
              },
            },
            '404': error('No such alert.'),
            '409': error('The alert is not firing, or is already acknowledged.'),
            '422': error('The body is invalid.'),
            ...auth,
          },
        },
      },
      '/api/v1/alert-config': {
        get: {
          summary: 'The alert configuration (channels, rules, silences)',
          description: 'Needs the `admin` scope. Secrets read `********` unless `withSecrets=true`.',
          security: [{ apiKey: [] }],
          parameters: [{ name: 'withSecrets', in: 'query', schema: { type: 'boolean' } }],
          responses: {
            '200': { description: 'The file', content: { 'application/json': { schema: ref('AlertConfig') } } },
            ...auth,
          },
        },
        put: {
          summary: 'Apply an alert configuration file, all or nothing',
          description:
            'Needs the `admin` scope. Upserts by id; `********` keeps a stored secret. A file with an error applies ' +
            'nothing: 422 with each bad field by its path (`rules[2].threshold: expected a number`).',
          security: [{ apiKey: [] }],
          requestBody: { required: true, content: { 'application/json': { schema: ref('AlertConfig') } } },
          responses: {
            '200': {
              description: 'What changed, as `kind:id`',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      created: { type: 'array', items: { type: 'string' } },
                      updated: { type: 'array', items: { type: 'string' } },
                      unchanged: { type: 'array', items: { type: 'string' } },
                    },
                  },
                },
              },
            },
            '400': error('The body is not JSON.'),
            '422': error('The file is invalid; nothing was applied.'),
            ...auth,
          },
        },
      },
    },
  };
}
