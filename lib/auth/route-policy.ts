/**
 * Who may reach each route handler, page and server action: SPEC sections 3 and 7 as one declared
 * policy, in the capabilities of lib/auth/permissions.ts plus the API key scopes of SPEC 3.
 * Pure data. The authorisation matrix (e2e/authz-matrix.spec.ts) finds every route, page and action
 * in the code and fails when one has no entry here, so a new one cannot go unchecked.
 */
import type { Capability } from '@/lib/auth/permissions';

/** API key scopes (SPEC 7): `ingest` POST feeds and imports, `read` GET KPIs, reconciliations and alerts, `admin` alert configuration and settings. */
export const KEY_SCOPES = ['ingest', 'read', 'admin'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

/** The scopes of a key made by `npm run cli -- api-key create <name>` without `--scope` (SPEC 7). */
export const DEFAULT_KEY_SCOPES: readonly KeyScope[] = ['ingest', 'read'];

export type Access =
  /** Anyone, signed in or not (sign-in itself, health, the OpenAPI document). */
  | { public: true }
  /** Only the `npm run cli` of the same machine, with the token of the server's lock file: no person, no key. */
  | { internal: true }
  /**
   * A signed-in person holding `session` (null: people are refused) or an API key holding `key`
   * (null: keys are refused).
   */
  | { session: Capability | null; key: KeyScope | null };

/** Route handlers, keyed by `<METHOD> <path as the app folder spells it, without route groups>`. */
export const ROUTE_POLICY: Record<string, Access> = {
  // The machine API (SPEC 3): feeds take keys only.
  'POST /api/v1/messages': { session: null, key: 'ingest' },
  'POST /api/v1/items': { session: null, key: 'ingest' },
  'POST /api/v1/corrections': { session: null, key: 'ingest' },
  'POST /api/v1/changes': { session: null, key: 'ingest' },
  'POST /api/v1/snapshots': { session: 'reconciliation.run', key: 'ingest' },
  'POST /api/v1/imports/[format]': { session: 'imports.run', key: 'ingest' },
  'POST /api/v1/reconciliations': { session: 'reconciliation.run', key: 'ingest' },
  'GET /api/v1/reconciliations/[id]': { session: 'reconciliation.read', key: 'read' },
  'GET /api/v1/reconciliations/[id]/differences': { session: 'reconciliation.read', key: 'read' },
  'GET /api/v1/kpis': { session: 'overview.read', key: 'read' },
  // A message with its payload: people who may read payloads (SPEC 7), no key.
  'GET /api/v1/messages/[messageId]': { session: 'payloads.read', key: null },
  // Alerts (SPEC 9): read with `read`, acknowledge with `admin` or a session of ops, it, admin.
  'GET /api/v1/alerts': { session: 'alerts.read', key: 'read' },
  'POST /api/v1/alerts/[id]/acknowledge': { session: 'alerts.act', key: 'admin' },
  'GET /api/v1/alert-config': { session: 'admin', key: 'admin' },
  'PUT /api/v1/alert-config': { session: 'admin', key: 'admin' },
  'GET /api/v1/openapi.json': { public: true },
  // Admin JSON APIs: signed-in admins only, never a key (lib/auth/session.ts ADMIN_SESSION).
  'GET /api/admin/[list]': { session: 'admin', key: null },
  'PUT /api/admin/[list]': { session: 'admin', key: null },
  'POST /api/admin/[list]': { session: 'admin', key: null },
  'DELETE /api/admin/[list]': { session: 'admin', key: null },
  'PATCH /api/admin/users/[id]': { session: 'admin', key: null },
  'POST /api/admin/rollup-rebuilds': { session: 'admin', key: null },
  'GET /api/admin/rollup-rebuilds/[id]': { session: 'admin', key: null },
  // The UI's own reads: sessions only.
  'GET /api/tiles': { session: 'overview.read', key: null },
  'GET /api/export/review/[cadence]': { session: 'overview.read', key: null },
  'GET /api/export/exceptions': { session: 'exceptions.read', key: null },
  'GET /api/export/differences': { session: 'reconciliation.read', key: null },
  'GET /api/export/findings': { session: 'masterdata.read', key: null },
  'GET /api/export/corrections': { session: 'corrections.read', key: null },
  'GET /api/export/messages': { session: 'payloads.read', key: null },
  'GET /api/export/quarantine': { session: 'payloads.read', key: null },
  'GET /api/export/imports': { session: 'imports.run', key: null },
  'GET /api/export/admin/[table]': { session: 'admin', key: null },
  'GET /api/export/alerts': { session: 'alerts.read', key: null },
  'GET /api/export/alert-deliveries': { session: 'admin', key: null },
  'GET /api/imports/profiles': { session: 'imports.run', key: null },
  'POST /api/imports/profiles': { session: 'imports.run', key: null },
  'DELETE /api/imports/profiles': { session: 'imports.run', key: null },
  'POST /api/imports/profiles/preview': { session: 'imports.run', key: null },
  // Sign-in and liveness.
  'GET /api/auth/[...nextauth]': { public: true },
  'POST /api/auth/[...nextauth]': { public: true },
  'GET /api/health': { public: true },
  // An address under /api that names no route: 404 in SPEC 3's error shape, for anyone.
  'GET /api/[...path]': { public: true },
  'POST /api/[...path]': { public: true },
  'PUT /api/[...path]': { public: true },
  'PATCH /api/[...path]': { public: true },
  'DELETE /api/[...path]': { public: true },
  'OPTIONS /api/[...path]': { public: true },
  // `npm run cli` handing its command to the server that holds the embedded database.
  'POST /api/internal/cli': { internal: true },
  'POST /api/internal/import/[format]': { internal: true },
};

/** Pages, by their path as the app folder spells it (route groups left out): the capability a person needs. */
export const PAGE_POLICY: Record<string, Capability | 'public'> = {
  '/login': 'public',
  '/': 'overview.read',
  '/tiles': 'overview.read',
  '/review/daily': 'overview.read',
  '/review/weekly': 'overview.read',
  '/review/monthly': 'overview.read',
  '/exceptions': 'exceptions.read',
  '/exceptions/[id]': 'exceptions.read',
  '/reconciliation': 'reconciliation.read',
  '/master-data': 'masterdata.read',
  '/corrections': 'corrections.read',
  '/messages': 'payloads.read',
  '/api-docs': 'payloads.read',
  '/imports': 'imports.run',
  '/admin': 'admin',
  '/alerts': 'alerts.read',
  '/alerts/[id]': 'alerts.read',
  '/admin/alerts/rules': 'admin',
  '/admin/alerts/channels': 'admin',
  '/admin/alerts/silences': 'admin',
  '/admin/alerts/deliveries': 'admin',
  '/admin/retention': 'admin',
};

/** Server actions, keyed by `<file under app/>#<exported name>`: the capability a person needs (keys never). */
export const ACTION_POLICY: Record<string, Capability> = {
  'app/(dashboard)/admin/actions.ts#saveListRow': 'admin',
  'app/(dashboard)/admin/actions.ts#removeListRow': 'admin',
  'app/(dashboard)/admin/actions.ts#updateUserAction': 'admin',
  'app/(dashboard)/admin/actions.ts#reclassifyAction': 'admin',
  'app/(dashboard)/admin/retention/actions.ts#saveRetentionAction': 'admin',
  'app/(dashboard)/admin/retention/actions.ts#runRetentionAction': 'admin',
  'app/(dashboard)/exceptions/actions.ts#bulkAction': 'exceptions.act',
  'app/(dashboard)/alerts/actions.ts#acknowledgeAction': 'alerts.act',
  'app/(dashboard)/admin/alerts/actions.ts#saveRule': 'admin',
  'app/(dashboard)/admin/alerts/actions.ts#saveChannel': 'admin',
  'app/(dashboard)/admin/alerts/actions.ts#saveSilence': 'admin',
  'app/(dashboard)/admin/alerts/actions.ts#removeAlertItem': 'admin',
  'app/(dashboard)/admin/alerts/actions.ts#sendTest': 'admin',
  'app/(dashboard)/review/actions.ts#signOffReview': 'overview.read',
};
