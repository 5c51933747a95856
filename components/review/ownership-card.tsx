import Link from 'next/link';
import { ReviewTableCard } from '@/components/review/review-table-card';
import { SystemBadge } from '@/components/ui/badge';
import { CardBody } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { ownershipConflictsIn } from '@/lib/detect/ownership-log';
import type { ReviewPeriod } from '@/lib/review/period';
import { formatCount } from '@/lib/format';
import { msToIso as iso } from '@/lib/time';
import { readDb } from '@/lib/http/read';

/**
 * Field changes of the period that break the ownership matrix (SPEC 5). The changed values come
 * from payloads, so only the roles that may read payloads see them. Streamed: it reads the
 * period's payloads.
 */
export async function OwnershipCard({ period: p, readsPayloads }: { period: ReviewPeriod; readsPayloads: boolean }) {
  const conflicts = await ownershipConflictsIn(await readDb(), p);
  return (
    <ReviewTableCard period={p} table="ownership" rows={conflicts}>
      <Table caption="Ownership conflicts">
        <thead>
          <tr>
            <Th>At</Th>
            <Th>Facility</Th>
            <Th>SKU</Th>
            <Th>Field</Th>
            <Th>Changed by</Th>
            {readsPayloads ? <Th>Value</Th> : null}
            <Th>Owner</Th>
            <Th>Finding</Th>
            <Th>Message</Th>
          </tr>
        </thead>
        <tbody>
          {conflicts.slice(0, 20).map((c) => (
            <tr key={`${c.change.messageId}-${c.change.field}`} data-testid="ownership-conflict">
              <Td>
                <Time iso={iso(c.change.atMs)} />
              </Td>
              <Td>{c.change.facility}</Td>
              <Td className="font-mono">{c.change.sku ?? '—'}</Td>
              <Td className="font-mono text-xs">{c.change.field}</Td>
              <Td>
                <SystemBadge system={c.change.system} />
              </Td>
              {readsPayloads ? (
                <Td className="font-mono text-xs">
                  {c.change.value ?? '—'}
                  {c.other ? (
                    <span className="text-slate-500">
                      {' '}
                      (the {c.other.system.toUpperCase()}: {c.other.value ?? '—'})
                    </span>
                  ) : null}
                </Td>
              ) : null}
              <Td className="text-xs">
                {c.owner === 'shared' ? `shared${c.precedence ? `: ${c.precedence}` : ''}` : c.owner.toUpperCase()}
              </Td>
              <Td className="text-xs">
                {c.kind === 'not_owner' ? (
                  'changed by the system that does not own it'
                ) : (
                  <>
                    changed both ways, the other at <Time iso={iso(c.other!.atMs)} />
                  </>
                )}
              </Td>
              <Td className="font-mono text-xs">
                {readsPayloads ? (
                  <Link
                    href={`/messages?q=${encodeURIComponent(c.change.messageId)}`}
                    className="text-blue-700 hover:underline"
                  >
                    {c.change.messageId}
                  </Link>
                ) : (
                  c.change.messageId
                )}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      {conflicts.length > 20 ? (
        <CardBody className="text-sm text-slate-500">
          The first 20 of {formatCount(conflicts.length)}; the export has them all.
        </CardBody>
      ) : null}
    </ReviewTableCard>
  );
}
