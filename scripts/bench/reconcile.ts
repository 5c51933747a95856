/**
 * The reconciliation part of the bench: an ERP item master, two snapshots of N positions through
 * the API (the WMS side with ~1% differences), three reconciliations beside a bare FULL OUTER JOIN
 * of the same two tables.
 */
import { round } from './figures';
import { median } from './measure';
import type { BenchConfig } from './options';
import { log, type BenchRun } from './table';

/** Position i of the ERP snapshot: 20 positions per SKU, CASE of 12 for every item. */
function erpPosition(i: number) {
  return {
    sku: `R-${Math.floor(i / 20)}`,
    location: `A-${String(i % 20).padStart(2, '0')}`,
    lot: i % 3 === 0 ? `L${i % 7}` : null,
    uom: 'EA',
    quantity: String(1 + (i % 97)),
  };
}

/** The WMS side: the same positions but ~1% differ (quantity, missing either side, lot, location, counted in cases). */
function wmsPosition(i: number) {
  const p = erpPosition(i);
  switch (i % 500) {
    case 7:
    case 107:
      return { ...p, quantity: String(Number(p.quantity) + 1) };
    case 207:
      return null; // missing in WMS
    case 307:
      return { ...p, location: `Z-${p.location}` }; // moved
    case 407:
      return { ...p, lot: `${p.lot ?? 'L'}-B` }; // lot split
    default:
      return p;
  }
}

function snapshotBody(positions: number, system: 'erp' | 'wms', takenAt: string): Buffer {
  const parts: string[] = [`{"system":"${system}","facility":"RB","takenAt":"${takenAt}","rows":[`];
  let first = true;
  for (let i = 0; i < positions; i++) {
    const p = system === 'erp' ? erpPosition(i) : wmsPosition(i);
    if (!p) continue;
    parts.push((first ? '' : ',') + JSON.stringify(p));
    first = false;
    // A few WMS-only positions (missing in ERP).
    if (system === 'wms' && i % 500 === 457) parts.push(',' + JSON.stringify({ ...p, location: `NEW-${i}` }));
  }
  parts.push(']}');
  return Buffer.from(parts.join(''));
}

export async function benchReconcile(cfg: BenchConfig, run: BenchRun) {
  const { pg, key, rows } = run;
  const { positions: POSITIONS, port: PORT } = cfg;
  const api = `http://127.0.0.1:${PORT}`;
  const auth = { authorization: `Bearer ${key}` };
  // ERP item master for every SKU (the factors the comparison converts with).
  const skus = Math.ceil(POSITIONS / 20);
  for (let s = 0; s < skus; s += 5000) {
    const items = [];
    for (let k = s; k < Math.min(skus, s + 5000); k++)
      items.push({
        system: 'erp',
        sku: `R-${k}`,
        baseUom: 'EA',
        uoms: [{ uom: 'CASE', toBase: 12 }],
        unitCost: (1 + (k % 50)).toFixed(2),
      });
    const res = await fetch(`${api}/api/v1/items`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(items),
    });
    if (!res.ok) throw new Error(`items: ${res.status} ${await res.text()}`);
  }
  // ---- snapshot import through the API
  let imported = 0;
  let importSeconds = 0;
  for (const system of ['erp', 'wms'] as const) {
    const body = snapshotBody(POSITIONS, system, new Date(Date.now() - 60_000).toISOString());
    log(`snapshot ${system}: ${(body.length / 1048576).toFixed(0)} MB`);
    const t = performance.now();
    const res = await fetch(`${api}/api/v1/snapshots`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: new Uint8Array(body),
    });
    const json = (await res.json()) as { rows: number };
    if (res.status !== 201) throw new Error(`snapshot ${system}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
    importSeconds += (performance.now() - t) / 1000;
    imported += json.rows;
  }
  const importRate = imported / importSeconds;
  rows.push([
    'snapshot import via API (rows/s)',
    Math.round(importRate).toLocaleString('en-US'),
    '—',
    `target ≥ 100,000`,
  ]);
  await pg.unsafe('analyze snapshot_rows');

  // ---- reconciliation, three runs, median
  const runTimes: number[] = [];
  let counts: Record<string, number> = {};
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    const res = await fetch(`${api}/api/v1/reconciliations`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"facility":"RB"}',
    });
    const { id } = (await res.json()) as { id: number };
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      const s = (await (await fetch(`${api}/api/v1/reconciliations/${id}`, { headers: auth })).json()) as {
        status: string;
        counts: Record<string, number>;
        error: string | null;
      };
      if (s.status === 'succeeded') {
        counts = s.counts;
        break;
      }
      if (s.status === 'failed') throw new Error(`reconciliation failed: ${s.error}`);
    }
    runTimes.push((performance.now() - t) / 1000);
  }
  // ---- the machine's limit: a bare FULL OUTER JOIN of the same two tables (each snapshot's rows
  // are a table of their own: its partition of snapshot_rows)
  const [{ erp, wms }] = await pg<{ erp: number; wms: number }[]>`
    select max(id) filter (where system = 'erp')::int as erp, max(id) filter (where system = 'wms')::int as wms
    from snapshots where facility = 'RB'`;
  const joinTimes: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    await pg.unsafe(
      `select count(*) from snapshot_rows_${erp} e full join snapshot_rows_${wms} w
        on e.sku = w.sku and e.location = w.location and e.lot = w.lot where e.quantity is distinct from w.quantity`,
    );
    joinTimes.push((performance.now() - t) / 1000);
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  run.figures.reconcile = {
    rows: POSITIONS,
    s: round(median(runTimes), 3),
    bareJoinS: round(median(joinTimes), 3),
  };
  rows.push([
    `reconcile ${POSITIONS.toLocaleString('en-US')} × ${POSITIONS.toLocaleString('en-US')} (s)`,
    `median ${median(runTimes).toFixed(2)} (${total.toLocaleString('en-US')} differences)`,
    `median ${median(joinTimes).toFixed(2)} (bare FULL OUTER JOIN)`,
    `${(median(runTimes) / median(joinTimes)).toFixed(2)}× the join`,
  ]);
}
