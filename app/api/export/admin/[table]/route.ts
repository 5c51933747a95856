import { listCsv } from '@/lib/admin/list-route';

export const dynamic = 'force-dynamic';

/** One admin list as CSV (lib/admin/lists declares its fields). Dates as ISO 8601 UTC. */
export const GET = listCsv;
