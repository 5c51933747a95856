/**
 * The admin page's tables, each loadable as rows for its CSV export (one definition for both).
 */
import 'server-only';
import type { Executor } from '@/db';
import { errorGlossary, ownershipMatrix, rootCauseRules, thresholds } from '@/db/schema';
import { listApiKeys } from '@/lib/auth/api-keys';
import { listUsers } from '@/lib/users';

type Row = Record<string, unknown>;

export const ADMIN_TABLES = {
  users: { file: 'users.csv', load: (db: Executor) => listUsers(db) as Promise<Row[]> },
  'api-keys': { file: 'api-keys.csv', load: (db: Executor) => listApiKeys(db) as Promise<Row[]> },
  thresholds: { file: 'thresholds.csv', load: (db: Executor) => db.select().from(thresholds).orderBy(thresholds.kpi, thresholds.facility) as Promise<Row[]> },
  'root-cause-rules': { file: 'root-cause-rules.csv', load: (db: Executor) => db.select().from(rootCauseRules).orderBy(rootCauseRules.priority) as Promise<Row[]> },
  ownership: { file: 'ownership-matrix.csv', load: (db: Executor) => db.select().from(ownershipMatrix).orderBy(ownershipMatrix.dataObject, ownershipMatrix.field) as Promise<Row[]> },
  glossary: { file: 'error-glossary.csv', load: (db: Executor) => db.select().from(errorGlossary).orderBy(errorGlossary.errorCode) as Promise<Row[]> },
} as const;

export type AdminTable = keyof typeof ADMIN_TABLES;

export function isAdminTable(name: string): name is AdminTable {
  return Object.hasOwn(ADMIN_TABLES, name);
}
