import Link from 'next/link';
import { MessagesCard, QuarantineCard } from '@/components/messages/messages-cards';
import { ScopeBar } from '@/components/filters/scope-bar';
import { CardSlot } from '@/components/ui/card-slot';
import { CsvLink } from '@/components/ui/csv-link';
import { SelectFields, TextField } from '@/components/ui/field';
import { FilterForm } from '@/components/ui/filter-form';
import { PageHeader } from '@/components/ui/page-header';
import { MESSAGE_STATUSES, TX_TYPES } from '@/db/schema';
import { requireCapability } from '@/lib/auth/session';
import { scopeFromParams } from '@/lib/filters';
import { flatParams, withParams, type RawParams } from '@/lib/http/search-params';
import { facilities } from '@/lib/kpi/series';
import { messageFilters } from '@/lib/messages/queries';
import { readDb } from '@/lib/http/read';

export const metadata = { title: 'Messages' };

export default async function MessagesPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  await requireCapability('payloads.read');
  const flat = flatParams(await searchParams);
  const scope = scopeFromParams(flat);
  const f = messageFilters.parse(flat);
  const facilityList = await facilities(await readDb());
  return (
    <>
      <PageHeader
        title="Message log"
        description={
          "Search by message id, document (correlation key) or SKU; without a search, the window's messages, newest " +
          'first. Times in your time zone (hover for UTC).'
        }
        actions={
          <div className="flex gap-2">
            <CsvLink
              href={`/api/export/messages${withParams(flat, { page: null, qpage: null })}`}
              label="Export messages CSV"
            />
            <CsvLink
              href={`/api/export/quarantine${f.import ? `?import=${f.import}` : ''}`}
              label="Export quarantine CSV"
            />
          </div>
        }
      />
      <div className="space-y-3">
        <ScopeBar
          scope={scope}
          facilities={facilityList}
          extra={{ q: f.q, status: f.status, txType: f.txType, import: f.import ? String(f.import) : undefined }}
        />
        {f.import ? (
          <p role="status" className="text-sm text-slate-700" data-testid="import-filter">
            The messages import #{f.import} wrote, whenever they were created (the time range does not apply).{' '}
            <Link
              className="underline"
              href={`/messages${withParams(flat, { import: null, page: null, qpage: null })}`}
            >
              Show all messages
            </Link>
          </p>
        ) : null}
        <FilterForm
          bar
          submit="Search"
          keep={{ range: flat.range, from: flat.from, to: flat.to, facility: flat.facility, import: flat.import }}
        >
          <TextField
            id="msg-q"
            label="Message id, document or SKU"
            name="q"
            type="search"
            defaultValue={f.q}
            width="w-72"
            placeholder="WMS-RECE-0000123 or PO-DC1-…"
          />
          <SelectFields
            prefix="msg"
            values={f}
            fields={[
              { name: 'status', label: 'Status', options: MESSAGE_STATUSES, empty: 'Any' },
              { name: 'txType', label: 'Tx type', options: TX_TYPES, empty: 'Any' },
            ]}
          />
          <label className="flex items-center gap-1 pb-1 text-xs text-slate-600">
            <input type="checkbox" name="duplicates" value="1" defaultChecked={!!f.duplicates} /> duplicates only
          </label>
        </FilterForm>
        <CardSlot name="messages" rows={8}>
          <MessagesCard f={f} scope={scope} flat={flat} />
        </CardSlot>
        <div id="quarantine" className="scroll-mt-4" />
        <CardSlot name="quarantine">
          <QuarantineCard page={f.qpage} flat={flat} importId={f.import} />
        </CardSlot>
      </div>
    </>
  );
}
