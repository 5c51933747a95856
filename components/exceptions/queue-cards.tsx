import Link from 'next/link';
import { Badge, type Tone } from '@/components/ui/badge';
import { Table, Td, Th } from '@/components/ui/table';
import { TableCard } from '@/components/ui/table-card';
import { Time } from '@/components/ui/time';
import { maskErrorMessage } from '@/lib/detect/fingerprint';
import { listExceptions, listGroups, type QueueFilters } from '@/lib/exceptions/queries';
import { formatAge } from '@/lib/format';
import { withParams, type FlatParams } from '@/lib/http/search-params';
import { readDb } from '@/lib/http/read';

const STATE_TONE: Record<string, Tone> = { open: 'bad', acknowledged: 'warn', resolved: 'ok', ignored: 'neutral' };

interface Props {
  f: QueueFilters;
  flat: FlatParams;
  /** Raw error text is for IT and admins (payloads.read, checked by the page); others see it masked. */
  raw: boolean;
}

/** The queue by age. With `canAct`, a checkbox per row for the bulk action bar above (form "bulk"). */
export async function ExceptionListCard({ f, flat, raw, canAct }: Props & { canAct: boolean }) {
  const list = await listExceptions(await readDb(), f);
  const { rows } = list;
  const errorText = (m: string | null) => (raw ? m : maskErrorMessage(m));
  return (
    <TableCard
      title="Exceptions"
      page={{ of: list, params: flat, noun: 'exceptions' }}
      empty={{
        title: f.state === 'open' ? 'No open exceptions match' : 'No exceptions match',
        text:
          f.state === 'open'
            ? 'Nothing is waiting. Widen the filters, or look at resolved ones with Status: All.'
            : 'Try fewer filters.',
      }}
    >
      <Table caption="Exceptions">
        <thead>
          <tr>
            {canAct ? (
              <Th>
                <span className="sr-only">Select</span>
              </Th>
            ) : null}
            <Th>Age</Th>
            <Th>Opened</Th>
            <Th>Message</Th>
            <Th>Facility</Th>
            <Th>Tx type</Th>
            <Th>SKU</Th>
            <Th>Error</Th>
            <Th>Status</Th>
            <Th>Owner</Th>
            <Th>Root cause</Th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} className="hover:bg-slate-50" data-testid="exception-row">
              {canAct ? (
                <Td>
                  <input
                    type="checkbox"
                    name="ids"
                    value={r.id}
                    form="bulk"
                    aria-label={`Select ${r.messageId}`}
                    className="h-4 w-4"
                  />
                </Td>
              ) : null}
              <Td className="whitespace-nowrap tabular-nums">{formatAge(r.ageSeconds)}</Td>
              <Td>
                <Time iso={r.openedAt} />
              </Td>
              <Td className="whitespace-nowrap">
                <Link href={`/exceptions/${r.id}`} className="font-medium text-blue-700 hover:underline">
                  {r.messageId}
                </Link>
              </Td>
              <Td>{r.facility}</Td>
              <Td>{r.txType}</Td>
              <Td className="whitespace-nowrap">{r.sku ?? '—'}</Td>
              <Td>
                {/* A cell's max-width does not hold in an auto table layout; a block inside it does, so a long
                      message truncates (whole on hover). */}
                <div className="max-w-[14rem]">
                  <span className="font-mono text-xs">{r.errorCode ?? '—'}</span>
                  <span
                    className="block truncate text-xs text-slate-500"
                    title={errorText(r.errorMessage) ?? undefined}
                  >
                    {errorText(r.errorMessage)}
                  </span>
                </div>
              </Td>
              <Td>
                <Badge tone={STATE_TONE[r.state]}>{r.state}</Badge>
              </Td>
              <Td>{r.owner ?? <span className="text-slate-500">unassigned</span>}</Td>
              <Td className="whitespace-nowrap">{r.rootCause.replace('_', ' ')}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </TableCard>
  );
}

/** The queue by group (tx type, error code and masked error text), each a link to its exceptions. */
export async function ExceptionGroupsCard({ f, flat, raw }: Props) {
  const list = await listGroups(await readDb(), f);
  const { rows } = list;
  const groupHref = (fp: string) => withParams(flat, { page: null, sort: null, view: 'list', fingerprint: fp });
  return (
    <TableCard
      title="Exception groups"
      page={{ of: list, params: flat, noun: 'groups' }}
      empty={{
        title: 'No groups match',
        text: 'Groups collect exceptions with the same tx type, error code and error text.',
      }}
    >
      <Table
        caption="Exception groups"
        columns={[
          'Group',
          ['Count', 'right'],
          ['Open', 'right'],
          'First seen',
          'Last seen',
          'Facilities',
          'Latest SKUs',
        ]}
      >
        <tbody>
          {rows.map((g) => (
            <tr key={g.fingerprint} className="hover:bg-slate-50" data-testid="group-row">
              <Td className="max-w-md">
                <Link href={groupHref(g.fingerprint)} className="font-medium text-blue-700 hover:underline">
                  {g.txType} · {g.errorCode ?? 'no code'}
                </Link>
                {g.regressed ? (
                  <span className="ml-2">
                    <Badge tone="bad">regressed</Badge>
                  </span>
                ) : null}
                <span className="block truncate text-xs text-slate-500">
                  {raw ? g.sample : maskErrorMessage(g.sample)}
                </span>
              </Td>
              <Td align="right">{g.count.toLocaleString('en-US')}</Td>
              <Td align="right">{g.open.toLocaleString('en-US')}</Td>
              <Td>
                <Time iso={g.firstSeen} />
              </Td>
              <Td>
                <Time iso={g.lastSeen} />
              </Td>
              <Td>{g.facilities.join(', ')}</Td>
              <Td className="text-xs">{g.skus.join(', ')}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </TableCard>
  );
}
