/**
 * A dry run's stage (the page's preview): this request's EDIDC and EDIDS rows in memory, over what
 * the tables hold, so that a preview stores nothing.
 */
import type { Db } from '@/db';
import type { ControlFact, StatusFact } from './fields';
import { loadStored, type Loaded, type LoadedStatus, type Stage } from './stage';

/** The most rows a preview keeps in memory (a preview's files are small; what passes this is not previewed). */
export const PREVIEW_ROWS = 50_000;

/** A dry run's stage: this request's rows in memory, over the stored ones, nothing written. */
export class MemoryStage implements Stage {
  private readonly controls = new Map<string, ControlFact>();
  private readonly statuses = new Map<string, Map<number, StatusFact>>();
  private count = 0;

  constructor(
    private readonly db: Db,
    private readonly limit = PREVIEW_ROWS,
  ) {}

  async putControls(list: ControlFact[]) {
    if (this.count + list.length > this.limit) return false;
    this.count += list.length;
    for (const c of list) this.controls.set(c.docnum, c);
    return true;
  }

  async putStatuses(list: StatusFact[]) {
    if (this.count + list.length > this.limit) return false;
    this.count += list.length;
    for (const s of list) {
      const byCountr = this.statuses.get(s.docnum) ?? new Map<number, StatusFact>();
      byCountr.set(s.countr, s);
      this.statuses.set(s.docnum, byCountr);
    }
    return true;
  }

  async load(docnums: string[]): Promise<Loaded> {
    const stored = await loadStored(this.db, docnums, null);
    for (const d of docnums) {
      const control = this.controls.get(d);
      const before = stored.controls.get(d);
      if (control && (!before || (control.updatedMs ?? control.createdMs) >= (before.updatedMs ?? before.createdMs)))
        stored.controls.set(d, control);
      const mine = this.statuses.get(d);
      if (!mine) continue;
      const merged = new Map<number, LoadedStatus>();
      for (const s of stored.statuses.get(d) ?? []) merged.set(s.countr, s);
      for (const s of mine.values()) merged.set(s.countr, { ...s, current: true });
      stored.statuses.set(
        d,
        [...merged.values()].sort((a, b) => a.countr - b.countr),
      );
    }
    return stored;
  }
}
