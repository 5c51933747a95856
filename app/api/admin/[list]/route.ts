import { listRoute } from '@/lib/admin/list-route';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

/**
 * Every admin list's API, declared in lib/admin/lists: thresholds, root-cause-rules, ownership,
 * glossary, step-slas.
 */
export const GET = listRoute('GET');
export const PUT = listRoute('PUT');
export const POST = listRoute('POST');
export const DELETE = listRoute('DELETE');

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, PATCH } = otherMethods({ GET, POST, PUT, DELETE });
