import Link from 'next/link';
import { ScopeBar } from '@/components/filters/scope-bar';
import { Badge } from '@/components/ui/badge';
import { SelectField, TextField } from '@/components/ui/field';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { Table, Td, Th } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { getDb } from '@/db';
import { MESSAGE_STATUSES, TX_TYPES } from '@/db/schema';
import { requireCapability } from '@/lib/auth/session';
import { scopeFromParams, withParams } from '@/lib/filters';
import { facilities } from '@/lib/kpi/series';
import { listQuarantine, messageFilters, searchMessages } from '@/lib/messages/queries';

export const metadata = { title: 'Messages' };

export default async function MessagesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireCapability('payloads.read');
  const params = await searchParams;
  const flat = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])) as Record<string, string | undefined>;
  const scope = scopeFromParams(params);
  const f = messageFilters.parse(flat);
  const db = await getDb();
  const [result, quarantine, facilityList] = await Promise.all([searchMessages(db, f, scope), listQuarantine(db, f.qpage), facilities(db)]);
  return (
    <>
      <PageHeader
        title="Message log"
        description="Search by message id, document (correlation key) or SKU; without a search, the window's messages, newest first. Times in your time zone (hover for UTC)."
        actions={
          <div className="flex gap-2 text-sm">
            <a href={`/api/export/messages${withParams(flat, { page: null, qpage: null })}`} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50" download>Export messages CSV</a>
            <a href="/api/export/quarantine" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50" download>Export quarantine CSV</a>
          </div>
        }
      />
      <div className="space-y-3">
        <ScopeBar scope={scope} facilities={facilityList} extra={{ q: f.q, status: f.status, txType: f.txType }} />
        <form method="get" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm shadow-sm">
          {(['range', 'from', 'to', 'facility'] as const).map((k) => (flat[k] ? <input key={k} type="hidden" name={k} value={flat[k]} /> : null))}
          <TextField id="msg-q" label="Message id, document or SKU" name="q" type="search" defaultValue={f.q} width="w-72" placeholder="WMS-RECE-0000123 or PO-DC1-…" />
          <SelectField id="msg-status" label="Status" name="status" defaultValue={f.status} options={MESSAGE_STATUSES} empty="Any" />
          <SelectField id="msg-txType" label="Tx type" name="txType" defaultValue={f.txType} options={TX_TYPES} empty="Any" />
          <label className="flex items-center gap-1 pb-1 text-xs text-slate-600">
            <input type="checkbox" name="duplicates" value="1" defaultChecked={!!f.duplicates} /> duplicates only
          </label>
          <button type="submit" className="rounded-md bg-slate-800 px-3 py-1.5 font-medium text-white">Search</button>
        </form>
        <Card>
          {result.rows.length === 0 ? (
            <div className="p-4"><EmptyState title="No messages match">{f.q ? 'Message ids and document keys must match exactly.' : 'Widen the time range or the filters.'}</EmptyState></div>
          ) : (
            <Table caption="Messages">
              <thead><tr><Th>Created</Th><Th>Message</Th><Th>Document</Th><Th>Tx type</Th><Th>Direction</Th><Th>Facility</Th><Th>SKU</Th><Th align="right">Qty</Th><Th>Status</Th><Th align="right">Attempts</Th></tr></thead>
              <tbody>
                {result.rows.map((m) => (
                  <tr key={m.messageId} data-testid="message-row">
                    <Td><Time iso={m.createdAt} withSeconds /></Td>
                    <Td className="font-mono text-xs"><a href={`/api/v1/messages/${encodeURIComponent(m.messageId)}`} className="text-blue-700 hover:underline">{m.messageId}</a></Td>
                    <Td>{m.correlationKey ? <Link className="text-blue-700 hover:underline" href={withParams(flat, { q: m.correlationKey, page: null })}>{m.correlationKey}</Link> : '—'}</Td>
                    <Td>{m.txType}</Td>
                    <Td className="text-xs">{m.direction}</Td>
                    <Td>{m.facility}</Td>
                    <Td>{m.sku ?? '—'}</Td>
                    <Td align="right">{m.quantity ?? '—'} {m.uom}</Td>
                    <Td>
                      <Badge tone={m.status === 'delivered' ? 'ok' : m.status === 'failed' || m.status === 'dead_letter' ? 'bad' : 'warn'}>{m.status}</Badge>
                      {m.isDuplicate ? <span className="ml-1"><Badge tone="warn">duplicate</Badge></span> : null}
                      {m.errorCode ? <span className="ml-1 font-mono text-xs text-red-700">{m.errorCode}</span> : null}
                    </Td>
                    <Td align="right">{m.attempts}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
        <Pagination page={result.page} pages={result.pages} total={result.total} params={flat} noun="messages" />
        <Card>
          <CardHeader title="Quarantine" description="Every record a feed rejected, with its raw text and the reasons. Nothing sent is dropped." />
          {quarantine.rows.length === 0 ? (
            <div className="p-4"><EmptyState title="The quarantine is empty">Records that fail validation land here with their raw text.</EmptyState></div>
          ) : (
            <Table caption="Quarantined records">
              <thead><tr><Th>Received</Th><Th>Feed</Th><Th>Source</Th><Th>Record</Th><Th>Errors</Th><Th>Raw record</Th></tr></thead>
              <tbody>
                {quarantine.rows.map((q) => (
                  <tr key={q.id} data-testid="quarantine-row">
                    <Td><Time iso={q.receivedAt} withSeconds /></Td>
                    <Td>{q.feed}</Td>
                    <Td>{q.source ?? '—'}</Td>
                    <Td className="text-xs">#{q.recordIndex} {q.recordKey}</Td>
                    <Td className="text-xs text-red-800"><ul>{q.errors.map((e, i) => <li key={i}>{e}</li>)}</ul></Td>
                    <Td><pre tabIndex={0} className="max-h-32 max-w-md overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-1 text-xs">{q.raw}</pre></Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
        <Pagination page={quarantine.page} pages={quarantine.pages} total={quarantine.total} params={flat} param="qpage" noun="quarantined records" />
      </div>
    </>
  );
}
