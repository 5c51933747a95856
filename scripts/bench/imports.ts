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
  const write = async (file: string, header: string[], lines: (i: number) => string, count: number) => {
    const out = fs.createWriteStream(file);
    out.write(header.join('\t') + '\n');
    let chunk: string[] = [];
    for (let i = 0; i < count; i++) {
      chunk.push(lines(i));
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
  const cHeader = [
    'MANDT',
    'DOCNUM',
    'STATUS',
    'DIRECT',
    'MESTYP',
    'SNDPRN',
    'RCVPRN',
    'CREDAT',
    'CRETIM',
    'UPDDAT',
    'UPDTIM',
  ];
  const cSize = await write(
    edidc,
    cHeader,
    (i) => {
      const [cd, ct] = stamp(base + i * 1000);
      const [ud, ut] = stamp(base + i * 1000 + 60_000);
      const inbound = i % 2 === 0;
      return ['100', pad(i + 1, 16), inbound ? '53' : '03', inbound ? '2' : '1', MESTYPS[i % MESTYPS.length]]
        .concat([inbound ? 'WMS01' : 'ERP100', inbound ? 'ERP100' : 'WMS01', cd, ct, ud, ut])
        .join('\t');
    },
    idocs,
  );
  const text = 'IDoc passed to application; document &1 posted in plant &2 '.padEnd(120, '.');
  const sHeader = ['MANDT', 'DOCNUM', 'LOGDAT', 'LOGTIM', 'COUNTR', 'STATUS', 'STAMID', 'STAMNO', 'STATXT'].concat([
    'STAPA1',
    'STAPA2',
    'STAPA3',
    'STAPA4',
  ]);
  const sSize = await write(
    edids,
    sHeader,
    (j) => {
      const i = Math.floor(j / STATUS_ROWS_PER_IDOC);
      const k = j % STATUS_ROWS_PER_IDOC;
      const inbound = i % 2 === 0;
      const codes = inbound ? ['50', '64', '62', '51', '53'] : ['01', '30', '29', '03', '12'];
      const [d, t] = stamp(base + i * 1000 + k * 7000);
      return ['100', pad(i + 1, 16), d, t, String(k + 1), codes[k], 'E0', k === 3 ? '062' : '000', text]
        .concat([`49000${i}`, 'DC7', '', ''])
        .join('\t');
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
    let peak = rssOf(run.serverPid);
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
    run.rows.push(['  server peak RSS while importing (MB)', (peak / 1048576).toFixed(0), '—', 'goal < 500']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
