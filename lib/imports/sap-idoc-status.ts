/**
 * SPEC 10's `sap-idoc-status` format: SAP's IDoc tables EDIDC (control records) and EDIDS (status
 * records), exported as delimited text, several files per request in any order. Rows are staged
 * as they are read (never a whole file in memory: only the set of DOCNUMs touched is kept), and
 * each touched IDoc's message is computed at `finish()` from its control record and every status
 * record known, this import's and earlier ones'.
 */
import { AppError } from '@/lib/errors';
import { readDelimited } from './read';
import { computeMessage, mappingOf, type Mapping } from './sap/compute';
import { controlFact, statusFact, tableOf, type ControlFact, type StatusFact } from './sap/fields';
import { ZoneClock } from './sap/sap-time';
import { DbStage, MemoryStage, PREVIEW_ROWS, type LoadedStatus, type Stage } from './sap/stage';
import {
  emptyMapped,
  prefixed,
  type FormatRun,
  type ImportContext,
  type ImportFile,
  type ImportFormat,
  type Mapped,
  type RowPlace,
} from './types';

/** Rows staged per write, and a yielded piece's size. */
export const STAGE_BATCH = 5_000;
/** DOCNUMs computed per read of the staged rows at the end. */
export const COMPUTE_CHUNK = 5_000;

/** Places are packed into one number per DOCNUM: the file's index times this, plus the row. */
const FILE_STRIDE = 2 ** 32;
/** A touched DOCNUM whose control record this request did not bring. */
const NO_CONTROL_HERE = -1;

class SapRun implements FormatRun {
  /** Each IDoc's message is computed from every row known: a status row that comes late changes it. */
  readonly recomputes = true;
  private readonly clock: ZoneClock;
  private readonly mapping: Mapping;
  private readonly stage: Stage;
  private readonly files: string[] = [];
  /** Each DOCNUM this request touched → where its control row is (packed), or NO_CONTROL_HERE. */
  private readonly touched = new Map<string, number>();
  /** DOCNUMs whose EDIDC row this request rejected → where, to explain their status rows' rejection. */
  private readonly badControls = new Map<string, string>();
  private previewFull = false;

  constructor(ctx: ImportContext) {
    this.clock = new ZoneClock(ctx.options.timezone || 'UTC');
    const m = mappingOf(prefixed(ctx.options, 'map.'), prefixed(ctx.options, 'partner.'), ctx.options.facility);
    if (m.error !== undefined) throw new AppError('bad_request', m.error);
    this.mapping = m.mapping;
    this.stage = ctx.dryRun ? new MemoryStage(ctx.db) : new DbStage(ctx.db, ctx.importId);
  }

  async *file(file: ImportFile): AsyncIterable<Mapped> {
    const fileIndex = this.files.push(file.name) - 1;
    const reader = readDelimited(file, { headerCase: 'upper' });
    const head = await reader.next();
    if (head.done || !('names' in head.value)) throw new AppError('bad_request', `${file.name}: the file is empty.`);
    const kind = tableOf(file.name, head.value.names, head.value.delimiter);
    const width = head.value.names.length;

    let piece = emptyMapped();
    let controls: { fact: ControlFact; row: number }[] = [];
    let statuses: StatusFact[] = [];
    const flush = async () => {
      const kept =
        kind === 'EDIDC'
          ? await this.stage.putControls(controls.map((c) => c.fact))
          : await this.stage.putStatuses(statuses);
      if (kept) {
        for (const c of controls) this.touched.set(c.fact.docnum, fileIndex * FILE_STRIDE + c.row);
        for (const s of statuses) if (!this.touched.has(s.docnum)) this.touched.set(s.docnum, NO_CONTROL_HERE);
      } else if (!this.previewFull) {
        this.previewFull = true;
        const first = kind === 'EDIDC' ? controls[0]?.row : statuses[0]?.row;
        piece.warnings.push({
          file: file.name,
          row: first ?? 0,
          message: `The preview maps the first ${PREVIEW_ROWS.toLocaleString('en-US')} rows; rows from here on were read but not previewed.`,
        });
      }
      controls = [];
      statuses = [];
    };

    for await (const item of reader) {
      if (!('cells' in item)) continue;
      piece.rows++;
      const place = { file: file.name, row: item.row };
      const read =
        kind === 'EDIDC'
          ? controlFact(item.cells, item.raw, this.clock)
          : statusFact(item.cells, item.raw, this.clock, place);
      if (read.errors) {
        const errors =
          item.width < width
            ? [...read.errors, `the row has ${item.width} of the header's ${width} cells`]
            : read.errors;
        const key = item.cells.DOCNUM || null;
        piece.rejected.push({ ...place, raw: item.raw, errors, key });
        if (kind === 'EDIDC' && key && !this.badControls.has(key))
          this.badControls.set(key, `${file.name} row ${item.row}`);
      } else if (kind === 'EDIDC') controls.push({ fact: read.fact as ControlFact, row: item.row });
      else statuses.push(read.fact as StatusFact);
      if (controls.length + statuses.length >= STAGE_BATCH) {
        await flush();
        yield piece;
        piece = emptyMapped();
      }
    }
    await flush();
    yield piece;
  }

  async *finish(): AsyncIterable<Mapped> {
    let chunk: string[] = [];
    for (const docnum of this.touched.keys()) {
      chunk.push(docnum);
      if (chunk.length >= COMPUTE_CHUNK) {
        yield await this.compute(chunk);
        chunk = [];
      }
    }
    if (chunk.length) yield await this.compute(chunk);
    this.touched.clear();
  }

  private async compute(docnums: string[]): Promise<Mapped> {
    const loaded = await this.stage.load(docnums);
    const piece = emptyMapped();
    for (const docnum of docnums) {
      const statuses = loaded.statuses.get(docnum) ?? [];
      const control = loaded.controls.get(docnum);
      if (!control) {
        const rejectedHere = this.badControls.get(docnum);
        const why =
          `DOCNUM ${docnum} has no control record (EDIDC row) in this import or stored` +
          (rejectedHere ? ` (its EDIDC row, ${rejectedHere}, was rejected)` : '') +
          ': the status row is kept, and counts once an EDIDC file brings the control record';
        for (const s of statuses)
          if (s.current)
            piece.rejected.push({ file: s.file ?? '', row: s.row ?? 0, raw: s.raw, errors: [why], key: docnum });
        continue;
      }
      const where = this.placeOf(docnum, statuses);
      const computed = computeMessage(control, statuses, this.mapping);
      if (computed.errors) piece.rejected.push({ ...where, raw: control.raw, errors: computed.errors, key: docnum });
      else piece.records.push({ ...where, raw: control.raw, value: computed.value });
    }
    return piece;
  }

  /** The control row's place when this request brought it, else the last status row this request brought (else the last known). */
  private placeOf(docnum: string, statuses: LoadedStatus[]): RowPlace {
    const packed = this.touched.get(docnum) ?? NO_CONTROL_HERE;
    if (packed !== NO_CONTROL_HERE)
      return { file: this.files[Math.floor(packed / FILE_STRIDE)], row: packed % FILE_STRIDE };
    const last = statuses.findLast((s) => s.current) ?? statuses[statuses.length - 1];
    return { file: last?.file ?? '', row: last?.row ?? 0 };
  }
}

export const sapIdocStatus: ImportFormat = {
  name: 'sap-idoc-status',
  start(ctx) {
    return new SapRun(ctx);
  },
};
