import { getHandle } from '@/db';
import { snapshotCsvOptions } from '@/lib/api/recon-schemas';
import { issuesToStrings } from '@/lib/api/schemas';
import { authenticate } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { handler, json } from '@/lib/http/route';
import { bulk } from '@/lib/ingest/backpressure';
import { readSnapshotCsv, SNAPSHOT_FIELDS, type SnapshotField } from '@/lib/recon/csv-rows';
import { erpBaseUoms } from '@/lib/recon/base-uoms';
import { readRowsObject } from '@/lib/recon/json-rows';
import type { Ask } from '@/lib/recon/snapshot-name';
import { importSnapshot } from '@/lib/recon/snapshots';
import { limitBytes } from '@/lib/http/stream';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

const MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024;

/**
 * Stores an on-hand snapshot (SPEC 3.2). JSON `{ system, facility, takenAt, rows }`, streamed; or
 * `text/csv` with system, facility and takenAt in the query, optional column mapping
 * (`col.sku=Item%20No`) and the options of SPEC 10 (`default.uom`, `decimal`). All rows or none: any invalid row rejects the snapshot with 422. A name
 * (system, facility, takenAt) already stored: 200 `unchanged` for the same rows, 409 for others.
 */
export const POST = handler(
  bulk(async (req) => {
    const who = await authenticate(req, {
      apiKey: true,
      scope: 'ingest',
      session: true,
      capability: 'reconciliation.run',
      accepts: ['application/json', 'text/csv'],
    });
    const source = who.kind === 'apiKey' ? `key ${who.name}` : who.user.email;
    if (!req.body) throw new AppError('bad_request', 'The body is empty.');
    const type = (req.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'text/csv' && type !== '' && type !== 'application/json') {
      throw new AppError(
        'unsupported_media_type',
        'Send application/json ({ system, facility, takenAt, rows }) or text/csv with system, facility and takenAt in the query.',
      );
    }
    const body = limitBytes(req, MAX_SNAPSHOT_BYTES);
    let events;
    if (type === 'text/csv') {
      const q = new URL(req.url).searchParams;
      const mapping: Partial<Record<SnapshotField, string>> = {};
      for (const f of SNAPSHOT_FIELDS) {
        const v = q.get(`col.${f}`);
        if (v) mapping[f] = v;
      }
      const options = snapshotCsvOptions.safeParse(
        Object.fromEntries(['default.uom', 'decimal'].map((k) => [k, q.get(k) ?? undefined])),
      );
      if (!options.success)
        throw new AppError(
          'validation_failed',
          'The CSV options are invalid; nothing was stored.',
          issuesToStrings(options.error),
        );
      const header: Record<string, unknown> = {};
      for (const k of ['system', 'facility', 'takenAt']) if (q.has(k)) header[k] = q.get(k);
      const facility = (q.get('facility') ?? '').trim();
      events = (ask: Ask) =>
        readSnapshotCsv(body, header, {
          mapping,
          defaultUom: options.data['default.uom'],
          decimal: options.data.decimal,
          baseUoms: erpBaseUoms(ask, facility),
        });
    } else {
      events = readRowsObject(body as unknown as AsyncIterable<Uint8Array>);
    }
    const result = await importSnapshot(await getHandle(), events, source);
    // The same snapshot sent again: 200 with the stored one's id and `unchanged: true`.
    return json(result, result.unchanged ? 200 : 201);
  }),
);

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods({ POST });
