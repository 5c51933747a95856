import { ROOT_CAUSES, TX_TYPES } from '@/db/schema';
import type { QueueFilters } from '@/lib/exceptions/queries';

const sel = 'mt-0.5 rounded border border-slate-300 px-2 py-1 text-sm text-slate-900';

/** The queue's filters as a GET form: every choice lives in the URL. */
export function QueueFilterForm({ f, facilities, owners, keep }: { f: QueueFilters; facilities: string[]; owners: string[]; keep: Record<string, string | undefined> }) {
  return (
    <form method="get" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm shadow-sm" data-testid="queue-filters">
      <input type="hidden" name="view" value={f.view} />
      {Object.entries(keep).map(([k, v]) => (v ? <input key={k} type="hidden" name={k} value={v} /> : null))}
      <div className="flex flex-col text-xs text-slate-600">
        <label htmlFor="fld-state">Status</label>
        <select id="fld-state" name="state" defaultValue={f.state} className={sel}>
          <option value="open">Open (incl. acknowledged)</option>
          <option value="acknowledged">Acknowledged</option>
          <option value="resolved">Resolved</option>
          <option value="ignored">Ignored</option>
          <option value="all">All</option>
        </select>
      </div>
      <div className="flex flex-col text-xs text-slate-600">
        <label htmlFor="fld-olderThan">Age</label>
        <select id="fld-olderThan" name="olderThan" defaultValue={f.olderThan ?? ''} className={sel}>
          <option value="">Any age</option>
          <option value="1h">Older than 1 hour</option>
          <option value="24h">Older than 24 hours</option>
          <option value="3d">Older than 3 days</option>
          <option value="7d">Older than 7 days</option>
        </select>
      </div>
      <div className="flex flex-col text-xs text-slate-600">
        <label htmlFor="fld-txType">Tx type</label>
        <select id="fld-txType" name="txType" defaultValue={f.txType ?? ''} className={sel}>
          <option value="">Any</option>
          {TX_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </div>
      <div className="flex flex-col text-xs text-slate-600">
        <label htmlFor="fld-facility">Facility</label>
        <select id="fld-facility" name="facility" defaultValue={f.facility ?? ''} className={sel}>
          <option value="">Any</option>
          {facilities.map((x) => <option key={x} value={x}>{x}</option>)}
        </select>
      </div>
      <div className="flex flex-col text-xs text-slate-600">
        <label htmlFor="fld-rootCause">Root cause</label>
        <select id="fld-rootCause" name="rootCause" defaultValue={f.rootCause ?? ''} className={sel}>
          <option value="">Any</option>
          {ROOT_CAUSES.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
      </div>
      <div className="flex flex-col text-xs text-slate-600">
        <label htmlFor="fld-owner">Owner</label>
        <select id="fld-owner" name="owner" defaultValue={f.owner ?? ''} className={sel}>
          <option value="">Anyone</option>
          <option value="unassigned">Unassigned</option>
          {owners.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
      </div>
      <div className="flex flex-col text-xs text-slate-600">
        <label htmlFor="fld-errorCode">Error code</label>
        <input id="fld-errorCode" name="errorCode" defaultValue={f.errorCode ?? ''} className={`${sel} w-36`} />
      </div>
      <div className="flex flex-col text-xs text-slate-600">
        <label htmlFor="fld-q">Search</label>
        <input id="fld-q" name="q" type="search" defaultValue={f.q ?? ''} placeholder="message id, SKU, error text" className={`${sel} w-56`} />
      </div>
      <div className="flex flex-col text-xs text-slate-600">
        <label htmlFor="fld-sort">Sort</label>
        <select id="fld-sort" name="sort" defaultValue={f.sort} className={sel}>
          {f.view === 'groups' ? (
            <>
              <option value="count">Most frequent</option>
              <option value="lastSeen">Last seen</option>
              <option value="age">First seen</option>
            </>
          ) : (
            <>
              <option value="age">Oldest first</option>
              <option value="newest">Newest first</option>
              <option value="facility">Facility</option>
              <option value="txType">Tx type</option>
            </>
          )}
        </select>
      </div>
      <button type="submit" className="rounded-md bg-slate-800 px-3 py-1.5 font-medium text-white hover:bg-slate-900">Filter</button>
    </form>
  );
}
