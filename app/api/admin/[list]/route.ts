import { listRoute } from '@/lib/admin/list-route';

export const dynamic = 'force-dynamic';

/**
 * Every admin list's API, declared in lib/admin/lists: thresholds, root-cause-rules, ownership,
 * glossary, step-slas.
 */
export const GET = listRoute('GET');
export const PUT = listRoute('PUT');
export const POST = listRoute('POST');
export const DELETE = listRoute('DELETE');
