import { can } from '@/lib/auth/permissions';
import { maskErrorMessage } from '@/lib/detect/fingerprint';
import { authenticate } from '@/lib/auth/session';
import { csvResponse } from '@/lib/http/csv';
import { flatParams } from '@/lib/http/search-params';
import { handler } from '@/lib/http/route';
import {
  iterateExceptions,
  iterateGroups,
  parseQueueFilters,
  type GroupRow,
  type QueueRow,
} from '@/lib/exceptions/queries';
import { scopeFromParams } from '@/lib/filters';
import { readDb } from '@/lib/http/read';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

/** CSV columns headed by their keys. */
const sameNames = <K extends string>(keys: K[]) => keys.map((key) => ({ key, header: key }));

/** The queue as CSV with the filters of the page that linked here. */
export const GET = handler(async (req) => {
  const who = await authenticate(req, { apiKey: false, session: true, capability: 'exceptions.read' });
  const raw = who.kind === 'user' && can(who.user.role, 'payloads.read');
  const params = flatParams(new URL(req.url).searchParams);
  const window = params.range || (params.from && params.to) ? scopeFromParams(params) : null;
  const f = parseQueueFilters(params, window);
  const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '');
  if (f.view === 'groups') {
    // The fingerprint carries the error text already masked; the raw sample is not exported.
    const keys: (keyof GroupRow & string)[] = [
      'fingerprint',
      'txType',
      'errorCode',
      'count',
      'open',
      'firstSeen',
      'lastSeen',
      'facilities',
      'skus',
      'regressed',
    ];
    return csvResponse(`exception-groups-${stamp}.csv`, sameNames(keys), iterateGroups(await readDb(), f));
  }
  const keys: (keyof QueueRow & string)[] = [
    'id',
    'messageId',
    'facility',
    'txType',
    'sku',
    'errorCode',
    'errorMessage',
    'state',
    'owner',
    'rootCause',
    'openedAt',
    'resolvedAt',
    'effortMinutes',
  ];
  const pages = iterateExceptions(await readDb(), f);
  async function* masked() {
    for await (const page of pages)
      yield raw ? page : page.map((r) => ({ ...r, errorMessage: maskErrorMessage(r.errorMessage) }));
  }
  return csvResponse(`exceptions-${stamp}.csv`, sameNames(keys), masked());
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
