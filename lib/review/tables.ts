/**
 * The tables of each review, by cadence. Each is a card on the review's page and a CSV download
 * (`/api/export/review/<cadence>?table=<name>`) of the same rows.
 */
export const REVIEW_TABLES = {
  daily: ['kpis', 'open', 'failures', 'flows', 'lifecycle', 'ownership', 'reversals', 'pairs'],
  weekly: ['causes', 'customers', 'skus', 'repeated', 'changes'],
  monthly: ['totals', 'shared'],
} as const;

export type ReviewTableName = (typeof REVIEW_TABLES)[keyof typeof REVIEW_TABLES][number];
