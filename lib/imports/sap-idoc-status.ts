/**
 * SPEC 10's `sap-idoc-status` format: SAP's IDoc tables EDIDC (control records) and EDIDS (status
 * records), exported as delimited text, several files per request in any order. Rows are staged
 * as they are read (never a whole file in memory: only the DOCNUMs touched are kept, each with a
 * small summary of its status rows), and each touched IDoc's message is computed at `finish()` from
 * its control record and every status record known, this import's and earlier ones': from the
 * summary when all of them came in this request, else from its rows read back.
 */
import { AppError } from '@/lib/errors';
import { readDelimitedBatches } from './read';
import { computeFromSummary, computeMessage, mappingOf, type Mapping } from './sap/compute';
import { controlFact, own, statusFact, tableOf, type ControlFact, type StatusFact } from './sap/fields';
import { ZoneClock } from './sap/sap-time';
import { MemoryStage, PREVIEW_ROWS } from './sap/memory-stage';
import { DbStage, type LoadedStatus, type Stage } from './sap/stage';
import { SummaryTable, type StatusSummary } from './sap/summary';
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
  /** One record per DOCNUM, all from finish(): two batches may be ingested at once on the Postgres server. */
  get concurrentIngest() {
    return !!this.stage.overlaps;
  }
  private readonly clock: ZoneClock;
  private readonly mapping: Mapping;
  private readonly stage: Stage;
  private readonly files: string[] = [];
  /** Each DOCNUM this request touched → where its control row is (packed), or NO_CONTROL_HERE. */
  private readonly touched = new Map<string, number>();
  /** DOCNUMs whose EDIDC row this request rejected → where, to explain their status rows' rejection. */
  private readonly badControls = new Map<string, string>();
  /**
   * Each DOCNUM whose status rows this request brought → the summary of those rows, kept as they are
   * read (in columns: one table for all), or none when its rows must be read back at the end (it
   * had rows stored before this request, or a COUNTR came twice). Not kept by a dry run, whose
   * stage is memory.
   */
  private readonly summaries: SummaryTable | null;
  private previewFull = false;

  constructor(ctx: ImportContext) {
    this.clock = new ZoneClock(ctx.options.timezone || 'UTC');
    const m = mappingOf(prefixed(ctx.options, 'map.'), prefixed(ctx.options, 'partner.'), ctx.options.facility);
    if (m.error !== undefined) throw new AppError('bad_request', m.error);
    this.mapping = m.mapping;
    if (ctx.dryRun) {
      this.stage = new MemoryStage(ctx.db);
      this.summaries = null;
    } else {
      this.stage = new DbStage(ctx.db, ctx.importId);
      this.summaries = new SummaryTable(own);
    }
  }

  async *file(file: ImportFile): AsyncIterable<Mapped> {
    const fileIndex = this.files.push(file.name) - 1;
    const reader = readDelimitedBatches(file, { headerCase: 'upper' });
    const head = await reader.next();
    if (head.done || Array.isArray(head.value)) throw new AppError('bad_request', `${file.name}: the file is empty.`);
    const kind = tableOf(file.name, head.value.names, head.value.delimiter);
    const width = head.value.names.length;

    let piece = emptyMapped();
    let controls: { fact: ControlFact; row: number }[] = [];
    let statuses: StatusFact[] = [];
    // A batch is written while the next one is read: the database and this process each use a core.
    // The batch before must be written before the next one starts (and before the file ends).
    let writing: Promise<void> = Promise.resolve();
    const write =
      (batchControls: typeof controls, batchStatuses: StatusFact[], into: Mapped, lookup: Promise<void> | null) =>
      async () => {
        await lookup;
        const kept =
          kind === 'EDIDC'
            ? await this.stage.putControls(batchControls.map((c) => c.fact))
            : await this.stage.putStatuses(batchStatuses, this.hasControlHere());
        if (kept) {
          for (const c of batchControls) this.touched.set(c.fact.docnum, fileIndex * FILE_STRIDE + c.row);
          let prev: string | null = null;
          for (const st of batchStatuses) {
            // An export lists each IDoc's rows together: one look-up per IDoc, not per row.
            if (st.docnum === prev) continue;
            prev = st.docnum;
            if (!this.touched.has(prev)) this.touched.set(own(prev), NO_CONTROL_HERE);
          }
          if (kind === 'EDIDS') this.summarize(batchStatuses, fileIndex);
        } else if (!this.previewFull) {
          this.previewFull = true;
          const first = kind === 'EDIDC' ? batchControls[0]?.row : batchStatuses[0]?.row;
          into.warnings.push({
            file: file.name,
            row: first ?? 0,
            message: `The preview maps the first ${PREVIEW_ROWS.toLocaleString('en-US')} rows; rows from here on were read but not previewed.`,
          });
        }
      };
    const flush = async (wait: boolean) => {
      // The look-up of the DOCNUMs new in this batch runs while the batch before is written (it asks
      // about none of that batch's DOCNUMs).
      const lookup = kind === 'EDIDS' ? this.startSummaries(statuses) : null;
      lookup?.catch(() => {}); // awaited by the write; an error before it is the one to report
      await writing;
      writing = write(controls, statuses, piece, lookup)();
      controls = [];
      statuses = [];
      if (wait) await writing;
    };

    try {
      for await (const batch of reader) {
        if (!Array.isArray(batch)) continue;
        for (const item of batch) {
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
            // Only the Postgres server's stage writes while the next batch is read (the embedded database has one
            // connection, which the runner's own queries then wait for).
            await flush(!this.stage.overlaps);
            yield piece;
            piece = emptyMapped();
          }
        }
      }
    } catch (e) {
      await writing.catch(() => {}); // the file's error is the one to report
      throw e;
    }
    await flush(true);
    yield piece;
  }

  /** Whether this request staged the control record of a DOCNUM: asked per row, looked up per run of one DOCNUM. */
  private hasControlHere() {
    let prev: string | null = null;
    let has = false;
    return (docnum: string) => {
      if (docnum !== prev) {
        prev = docnum;
        has = (this.touched.get(docnum) ?? NO_CONTROL_HERE) !== NO_CONTROL_HERE;
      }
      return has;
    };
  }

  /** Before a batch of status rows is staged: a summary for each DOCNUM new to this request, unless rows of it are stored. */
  private async startSummaries(batch: StatusFact[]) {
    const summaries = this.summaries;
    if (!summaries || !this.stage.withStatuses) return;
    const fresh = new Set<string>();
    let prev: string | null = null;
    for (const st of batch) {
      if (st.docnum === prev) continue;
      prev = st.docnum;
      if (!summaries.has(prev)) fresh.add(prev);
    }
    const stored = await this.stage.withStatuses([...fresh]);
    for (const d of fresh) {
      // One copy of the DOCNUM for both maps (the status rows' own are slices of the text read).
      const key = own(d);
      summaries.start(key, !stored.has(d));
      if (!this.touched.has(key)) this.touched.set(key, NO_CONTROL_HERE);
    }
  }

  /** After a batch of status rows is staged: each row into its DOCNUM's summary. */
  private summarize(batch: StatusFact[], fileIndex: number) {
    const summaries = this.summaries;
    if (!summaries) return;
    let prev: string | null = null;
    let slot = -1;
    for (const st of batch) {
      if (st.docnum !== prev) {
        prev = st.docnum;
        slot = summaries.slotOf(prev);
      }
      if (slot >= 0 && !summaries.add(slot, st, fileIndex * FILE_STRIDE + (st.row ?? 0))) {
        summaries.drop(prev);
        slot = -1;
      }
    }
  }

  async *finish(): AsyncIterable<Mapped> {
    const docnums = [...this.touched.keys()];
    const chunkAt = (i: number) => docnums.slice(i, i + COMPUTE_CHUNK);
    // On the Postgres server the next chunk is read and computed while the runner ingests this one.
    let next = docnums.length ? this.compute(chunkAt(0)) : null;
    for (let i = 0; next; i += COMPUTE_CHUNK) {
      const piece = await next;
      const more = i + COMPUTE_CHUNK < docnums.length;
      next = more && this.stage.overlaps ? this.compute(chunkAt(i + COMPUTE_CHUNK)) : null;
      yield piece;
      if (more && !next) next = this.compute(chunkAt(i + COMPUTE_CHUNK));
    }
    this.touched.clear();
  }

  private async compute(docnums: string[]): Promise<Mapped> {
    // The status rows are read back only for the IDocs without a summary: rows stored before, or none here.
    const summaries = this.summaries;
    const loaded = await this.stage.load(
      docnums,
      summaries ? docnums.filter((d) => !summaries.summarized(d)) : docnums,
    );
    if (summaries) {
      // A status row without a control record is rejected with its raw text, which only the database kept.
      const orphans = docnums.filter((d) => !loaded.controls.has(d) && summaries.summarized(d));
      if (orphans.length) {
        const more = await this.stage.load(orphans);
        for (const [d, list] of more.statuses) loaded.statuses.set(d, list);
        for (const d of orphans) summaries.drop(d);
      }
    }
    const piece = emptyMapped();
    for (const docnum of docnums) {
      const summary = summaries?.summary(docnum) ?? null;
      summaries?.delete(docnum); // what is computed is let go as the import goes (its place too, below)
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
      const where = this.placeOf(docnum, statuses, summary);
      this.touched.delete(docnum);
      const computed = summary
        ? computeFromSummary(control, summary, this.mapping)
        : computeMessage(control, statuses, this.mapping);
      if (computed.errors) piece.rejected.push({ ...where, raw: control.raw, errors: computed.errors, key: docnum });
      else piece.records.push({ ...where, raw: control.raw, value: computed.value });
    }
    return piece;
  }

  /** The control row's place when this request brought it, else the last status row this request brought (else the last known). */
  private placeOf(
    docnum: string,
    statuses: LoadedStatus[],
    summary?: (StatusSummary & { lastPlace: number }) | null,
  ): RowPlace {
    const control = this.touched.get(docnum) ?? NO_CONTROL_HERE;
    const packed = control === NO_CONTROL_HERE && summary ? summary.lastPlace : control;
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
