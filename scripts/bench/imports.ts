/**
 * The import part of the bench (SPEC 10): a generated pair of SAP IDoc tables — N EDIDS status rows
 * and N/5 EDIDC control records, tab-separated as SE16 downloads them — imported through
 * `POST /api/v1/imports/sap-idoc-status` as one multipart request, read from disk as streams. The
 * message rate is set beside the JSON ingest's of the same run (goal: at least half of it), and the
 * server's peak RSS while it imports is reported on its own line (goal: under 500 MB). The EDIDS
 * file's status texts are padded so that N = 1,000,000 makes a file of about 200 MB.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONTROL_FIELDS, STATUS_FIELDS } from '../../lib/imports/sap/fields';
import { rssOf } from './measure';
import type { BenchConfig } from './options';
import { log, type BenchRun } from './table';

const STATUS_ROWS_PER_IDOC = 5;
const MESTYPS = ['WMMBXY', 'SHPCON', 'DELVRY', 'MATMAS', 'WMTOCO'];
const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Writes the two files; returns their paths and sizes. */
export async function writeFiles(dir: string, statusRows: number) {
  const idocs = Math.ceil(statusRows / STATUS_ROWS_PER_IDOC);
  const base = Date.UTC(2026, 10, 1);
  const stamp = (ms: number) => {
    const d = new Date(ms).toISOString();
    return [d.slice(0, 10).replaceAll('-', ''), d.slice(11, 19).replaceAll(':', '')];
  };
  /** A tab-separated file of `fields` (SE16 puts the client, MANDT, first), a row's cells by field name. */
  const write = async (
    file: string,
    fields: string[],
    cellsOf: (i: number) => Record<string, string>,
    count: number,
  ) => {
    const out = fs.createWriteStream(file);
    out.write(fields.join('\t') + '\n');
    let chunk: string[] = [];
    for (let i = 0; i < count; i++) {
      const cells = cellsOf(i);
      chunk.push(fields.map((f) => cells[f] ?? '').join('\t'));
      if (chunk.length === 5000 || i === count - 1) {
        if (!out.write(chunk.join('\n') + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
        chunk = [];
      }
    }
    await new Promise<void>((r) => out.end(() => r()));
    return fs.statSync(file).size;
  };
  const edidc = path.join(dir, 'EDIDC.txt');
  const edids = path.join(dir, 'EDIDS.txt');
  const cSize = await write(
    edidc,
    ['MANDT', ...CONTROL_FIELDS],
    (i) => {
      const [CREDAT, CRETIM] = stamp(base + i * 1000);
      const [UPDDAT, UPDTIM] = stamp(base + i * 1000 + 60_000);
      const inbound = i % 2 === 0;
      return {
        MANDT: '100',
        DOCNUM: pad(i + 1, 16),
        MESTYP: MESTYPS[i % MESTYPS.length],
        STATUS: inbound ? '53' : '03',
        DIRECT: inbound ? '2' : '1',
        SNDPRN: inbound ? 'WMS01' : 'ERP100',
        RCVPRN: inbound ? 'ERP100' : 'WMS01',
        CREDAT,
        CRETIM,
        UPDDAT,
        UPDTIM,
      };
    },
    idocs,
  );
  const text = 'IDoc passed to application; document &1 posted in plant &2 '.padEnd(120, '.');
  const sSize = await write(
    edids,
    ['MANDT', ...STATUS_FIELDS],
    (j) => {
      const i = Math.floor(j / STATUS_ROWS_PER_IDOC);
      const k = j % STATUS_ROWS_PER_IDOC;
      const inbound = i % 2 === 0;
      const codes = inbound ? ['50', '64', '62', '51', '53'] : ['01', '30', '29', '03', '12'];
      const [LOGDAT, LOGTIM] = stamp(base + i * 1000 + k * 7000);
      return {
        MANDT: '100',
        DOCNUM: pad(i + 1, 16),
        COUNTR: String(k + 1),
        STATUS: codes[k],
        LOGDAT,
        LOGTIM,
        STAMID: 'E0',
        STAMNO: k === 3 ? '062' : '000',
        STATXT: text,
        STAPA1: `49000${i}`,
        STAPA2: 'DC7',
      };
    },
    statusRows,
  );
  return { edidc, edids, idocs, bytes: cSize + sSize };
}

export async function benchImports(cfg: BenchConfig, run: BenchRun, apiRate: number | null) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sh-bench-import-'));
  try {
    log(`imports: writing ${cfg.imports.toLocaleString('en-US')} EDIDS rows and their EDIDC records`);
    const files = await writeFiles(dir, cfg.imports);
    const form = new FormData();
    form.append('edidc', await fs.openAsBlob(files.edidc), 'EDIDC.txt');
    form.append('edids', await fs.openAsBlob(files.edids), 'EDIDS.txt');
    const before = rssOf(run.serverPid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(run.serverPid))), 200);
    log(`imports: sending ${(files.bytes / 1048576).toFixed(0)} MB`);
    const t0 = performance.now();
    const res = await fetch(
      `http://127.0.0.1:${cfg.port}/api/v1/imports/sap-idoc-status?timezone=Europe/Berlin&partner.WMS01=DC7&partner.ERP100=DC7`,
      { method: 'POST', headers: { authorization: `Bearer ${run.key}` }, body: form },
    );
    const body = (await res.json()) as { accepted: number; rows: number; rejected: unknown[] };
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    if (!res.ok || body.accepted !== files.idocs || body.rejected.length)
      throw new Error(`import: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    const rate = files.idocs / seconds;
    run.figures.imports.rowsPerSec = Math.round(body.rows / seconds);
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    run.rows.push([
      'imports: SAP IDoc status via API (msg/s)',
      fmt(rate),
      apiRate === null ? '— (no JSON ingest in this run)' : `${fmt(apiRate)} (JSON ingest via API)`,
      apiRate === null ? '—' : `${((rate / apiRate) * 100).toFixed(0)}% of JSON ingest (goal ≥ 50%)`,
    ]);
    run.rows.push([
      '  the same, in rows read (rows/s)',
      fmt(body.rows / seconds),
      `${fmt(body.rows)} rows, ${(files.bytes / 1048576).toFixed(0)} MB in ${seconds.toFixed(1)} s`,
      '—',
    ]);
    run.rows.push([
      '  server peak RSS while importing (MB)',
      (peak / 1048576).toFixed(0),
      `${(before / 1048576).toFixed(0)} (the server's RSS as the import began)`,
      'goal < 500',
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
