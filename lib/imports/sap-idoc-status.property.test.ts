import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rows } from '@/db';
import { emptyMessageTables, testDb } from '@/lib/testing/db';
import { runImport } from './run';
import { collectSap, fileOf } from './sap/testing';

const h = testDb();

/** Codes of every group: delivered, failed, dead letter, pending. */
const CODES = ['03', '12', '53', '02', '51', '56', '31', '68', '01', '30', '50', '64'];
const PIECES = 4;

const docArb = fc.record({
  direct: fc.constantFrom('1', '2', ''),
  status: fc.constantFrom(...CODES),
  rows: fc.array(
    fc.record({
      status: fc.constantFrom(...CODES),
      gapSeconds: fc.constantFrom(0, 1, 59, 3600, 86_400),
      text: fc.constantFrom('', 'Failed &1 at &2', 'Bad & & &'),
      piece: fc.nat({ max: PIECES - 1 }),
      order: fc.nat(),
    }),
    { maxLength: 6 },
  ),
});

const CONTROL_HEADER = 'DOCNUM\tMESTYP\tSTATUS\tDIRECT\tSNDPRN\tRCVPRN\tCREDAT\tCRETIM\tUPDDAT\tUPDTIM';
const STATUS_HEADER = 'DOCNUM\tCOUNTR\tSTATUS\tLOGDAT\tLOGTIM\tSTAMID\tSTAMNO\tSTATXT\tSTAPA1\tSTAPA2';

/** SAP's DATS and TIMS of `seconds` after 2026-11-20 00:00. */
function sapStamp(seconds: number): [string, string] {
  const d = new Date(Date.UTC(2026, 10, 20) + seconds * 1000).toISOString();
  return [d.slice(0, 10).replace(/-/g, ''), d.slice(11, 19).replace(/:/g, '')];
}

let importId = 0;
const options = { 'partner.WMSDC1': 'DC1', 'partner.S4P': 'DC1' };

/** The EDIDC text and the EDIDS rows of some generated IDocs. */
type Doc = typeof docArb extends fc.Arbitrary<infer T> ? T : never;

function filesOf(docs: Doc[]) {
  const control = [CONTROL_HEADER];
  const statusRows: { line: string; piece: number; order: number }[] = [];
  docs.forEach((doc, i) => {
    const docnum = String(i + 1).padStart(16, '0');
    control.push(`${docnum}\tWMMBXY\t${doc.status}\t${doc.direct}\tWMSDC1\tS4P\t20261120\t080000\t20261120\t080100`);
    let at = 9 * 3600;
    doc.rows.forEach((r, k) => {
      at += r.gapSeconds; // LOGDAT+LOGTIM never go back as COUNTR grows, as in SAP
      const [date, time] = sapStamp(at);
      const failing = r.text ? `ZWM\t${100 + k}\t${r.text}\tP${k}\tQ${k}` : '\t\t\t\t';
      statusRows.push({
        line: `${docnum}\t${k + 1}\t${r.status}\t${date}\t${time}\t${failing}`,
        piece: r.piece,
        order: r.order,
      });
    });
  });
  const statusText = (list: typeof statusRows) => [STATUS_HEADER, ...list.map((r) => r.line)].join('\n');
  return { controlText: control.join('\n'), statusRows, statusText };
}

/** Some IDocs, the piece their EDIDC file goes in, and whether it goes before that piece's EDIDS rows. */
const splitArb = fc.record({
  docs: fc.array(docArb, { minLength: 1, maxLength: 4 }),
  controlPiece: fc.nat({ max: PIECES - 1 }),
  controlFirst: fc.boolean(),
});
type Split = typeof splitArb extends fc.Arbitrary<infer T> ? T : never;

/** The files of each piece in turn: its EDIDS rows in their own order, the EDIDC file before or after them in one piece. */
function piecesOf({ docs, controlPiece, controlFirst }: Split) {
  const { controlText, statusRows, statusText } = filesOf(docs);
  const pieces: ReturnType<typeof fileOf>[][] = [];
  for (let p = 0; p < PIECES; p++) {
    const mine = statusRows.filter((r) => r.piece === p).sort((a, b) => a.order - b.order);
    const files = mine.length ? [fileOf(`EDIDS-${p}.txt`, statusText(mine))] : [];
    if (p === controlPiece) files.splice(controlFirst ? 0 : files.length, 0, fileOf('EDIDC.txt', controlText));
    pieces.push(files);
  }
  return pieces;
}

/** What the database holds of the imported IDocs: their messages and their exceptions. */
async function storedState() {
  return {
    messages: await rows(
      h.db,
      sql`select message_id, status, attempts, error_code, error_message, created_at, processed_at, updated_at
          from integration_messages order by message_id`,
    ),
    open: await rows<{ message_id: string }>(
      h.db,
      sql`select distinct e.message_id from exceptions e join integration_messages m using (message_id)
          where e.state = 'open' and m.status <> 'pending' order by e.message_id`,
    ),
  };
}

it('through the ingest: EDIDS rows imported in pieces, in any order, leave the state one import of all leaves', async () => {
  await fc.assert(
    fc.asyncProperty(splitArb, async (split) => {
      const { controlText, statusRows, statusText } = filesOf(split.docs);
      const run = (files: ReturnType<typeof fileOf>[]) =>
        runImport(h.db, { format: 'sap-idoc-status', files, options, source: 'test', via: 'api' });

      await emptyMessageTables(h.db, ['idoc_control', 'idoc_status', 'exceptions']);
      await run([fileOf('EDIDC.txt', controlText), fileOf('EDIDS.txt', statusText(statusRows))]);
      const once = await storedState();
      const again = await run([fileOf('EDIDC.txt', controlText), fileOf('EDIDS.txt', statusText(statusRows))]);
      expect(again.accepted + again.updated).toBe(0);

      await emptyMessageTables(h.db, ['idoc_control', 'idoc_status', 'exceptions']);
      for (const files of piecesOf(split)) if (files.length) await run(files);
      // Status rows that came before their control record were quarantined (and kept, so the control record brought
      // them in): the state is the messages and which of them have an open exception. An exception stays open
      // until its message is delivered, so a message that failed on the way and ends pending (51, then 64) keeps
      // the exception one import of all never opened: those are left out.
      expect(await storedState()).toEqual(once);
    }),
    { numRuns: 25 },
  );
});

it('importing EDIDS rows in pieces, in any order, ends in the messages one import of all gives', async () => {
  await fc.assert(
    fc.asyncProperty(splitArb, async (split) => {
      const { controlText, statusRows, statusText } = filesOf(split.docs);

      await h.db.execute(sql`truncate idoc_control, idoc_status`);
      const once = await collectSap(
        h.db,
        [fileOf('EDIDS.txt', statusText(statusRows)), fileOf('EDIDC.txt', controlText)],
        {
          options,
          importId: ++importId,
        },
      );
      expect(once.rejected).toEqual([]);
      const expected = Object.fromEntries(once.records.map((r) => [r.value.messageId, r.value]));

      await h.db.execute(sql`truncate idoc_control, idoc_status`);
      const last: Record<string, unknown> = {};
      for (const files of piecesOf(split)) {
        const out = await collectSap(h.db, files, { options, importId: ++importId });
        for (const r of out.records) last[r.value.messageId as string] = r.value;
      }
      expect(last).toEqual(expected);
    }),
    { numRuns: 40 },
  );
});
