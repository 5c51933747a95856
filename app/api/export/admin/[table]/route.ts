import { listCsv } from '@/lib/admin/list-route';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

/** One admin list as CSV (lib/admin/lists declares its fields). Dates as ISO 8601 UTC. */
export const GET = listCsv;

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
