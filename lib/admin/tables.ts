/**
 * The admin page's tables: what the page shows and what its CSV exports read (one definition for both).
 */
import 'server-only';
import type { Executor } from '@/db';
import { errorGlossary, ownershipMatrix, rootCauseRules, thresholds } from '@/db/schema';
import { listStepSlas } from '@/lib/admin/settings';
import { listApiKeys } from '@/lib/auth/api-keys';
import { listRebuilds } from '@/lib/kpi/rebuild';
import { listUsers } from '@/lib/auth/users';

export const ADMIN_TABLES = {
  users: { file: 'users.csv', load: (db: Executor) => listUsers(db) },
  'api-keys': { file: 'api-keys.csv', load: (db: Executor) => listApiKeys(db) },
  thresholds: { file: 'thresholds.csv', load: (db: Executor) => db.select().from(thresholds).orderBy(thresholds.kpi, thresholds.facility) },
  'root-cause-rules': { file: 'root-cause-rules.csv', load: (db: Executor) => db.select().from(rootCauseRules).orderBy(rootCauseRules.priority) },
  ownership: { file: 'ownership-matrix.csv', load: (db: Executor) => db.select().from(ownershipMatrix).orderBy(ownershipMatrix.dataObject, ownershipMatrix.field) },
  glossary: { file: 'error-glossary.csv', load: (db: Executor) => db.select().from(errorGlossary).orderBy(errorGlossary.errorCode) },
  'step-slas': { file: 'step-slas.csv', load: (db: Executor) => listStepSlas(db) },
  'rollup-rebuilds': { file: 'rollup-rebuilds.csv', load: (db: Executor) => listRebuilds(db) },
} as const satisfies Record<string, { file: string; load: (db: Executor) => PromiseLike<object[]> }>;

export type AdminTable = keyof typeof ADMIN_TABLES;

export function isAdminTable(name: string): name is AdminTable {
  return Object.hasOwn(ADMIN_TABLES, name);
}
