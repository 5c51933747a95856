import Link from 'next/link';
import { MessageStatus } from '@/components/messages/status-badge';
import { Badge } from '@/components/ui/badge';
import { Table, Td } from '@/components/ui/table';
import { TableCard } from '@/components/ui/table-card';
import { Time } from '@/components/ui/time';
import type { PageScope } from '@/lib/filters';
import { withParams, type FlatParams } from '@/lib/http/search-params';
import { listQuarantine, searchMessages, type MessageFilters } from '@/lib/messages/queries';
import { readDb } from '@/lib/http/read';

/** The log search's messages (the page checks payloads.read: the log is for IT and admins). */
export async function MessagesCard({ f, scope, flat }: { f: MessageFilters; scope: PageScope; flat: FlatParams }) {
  const result = await searchMessages(await readDb(), f, scope);
  return (
    <TableCard
      title="Messages"
      page={{ of: result, params: flat, noun: 'messages' }}
      empty={{
        title: 'No messages match',
        text: f.q ? 'Message ids and document keys must match exactly.' : 'Widen the time range or the filters.',
      }}
    >
      <Table
        caption="Messages"
        columns={[
          'Created',
          'Message',
          'Document',
          'Tx type',
          'Direction',
          'Facility',
          'SKU',
          ['Qty', 'right'],
          'Status',
          ['Attempts', 'right'],
        ]}
      >
        <tbody>
          {result.rows.map((m) => (
            <tr key={m.messageId} data-testid="message-row">
              <Td>
                <Time iso={m.createdAt} withSeconds />
              </Td>
              <Td className="font-mono text-xs">
                <a
                  href={`/api/v1/messages/${encodeURIComponent(m.messageId)}`}
                  className="text-blue-700 hover:underline"
                >
                  {m.messageId}
                </a>
              </Td>
              <Td>
                {m.correlationKey ? (
                  <Link
                    className="text-blue-700 hover:underline"
                    href={withParams(flat, { q: m.correlationKey, page: null })}
                  >
                    {m.correlationKey}
                  </Link>
                ) : (
                  '—'
                )}
              </Td>
              <Td>{m.txType}</Td>
              <Td className="text-xs">{m.direction}</Td>
              <Td>{m.facility}</Td>
              <Td>{m.sku ?? '—'}</Td>
              <Td align="right">
                {m.quantity ?? '—'} {m.uom}
              </Td>
              <Td>
                <MessageStatus status={m.status} errorCode={m.errorCode}>
                  {m.isDuplicate ? (
                    <span className="ml-1">
                      <Badge tone="warn">duplicate</Badge>
                    </span>
                  ) : null}
                </MessageStatus>
              </Td>
              <Td align="right">{m.attempts}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </TableCard>
  );
}

/** Every record a feed rejected, newest first, with its raw text. */
export async function QuarantineCard({ page, flat, importId }: { page: number; flat: FlatParams; importId?: number }) {
  const quarantine = await listQuarantine(await readDb(), page, importId);
  return (
    <TableCard
      title={importId ? `Quarantine: rows import #${importId} rejected` : 'Quarantine'}
      testId="quarantine-card"
      csvHref={`/api/export/quarantine${importId ? `?import=${importId}` : ''}`}
      description="Every record a feed rejected, with its raw text and the reasons. Nothing sent is dropped."
      page={{ of: quarantine, params: flat, param: 'qpage', noun: 'quarantined records' }}
      empty={{ title: 'The quarantine is empty', text: 'Records that fail validation land here with their raw text.' }}
    >
      <Table caption="Quarantined records" columns={['Received', 'Feed', 'Source', 'Record', 'Errors', 'Raw record']}>
        <tbody>
          {quarantine.rows.map((q) => (
            <tr key={q.id} data-testid="quarantine-row">
              <Td>
                <Time iso={q.receivedAt} withSeconds />
              </Td>
              <Td>{q.feed}</Td>
              <Td>{q.source ?? '—'}</Td>
              <Td className="text-xs">
                {q.importId ? (
                  <Link className="underline" href={`/imports#import-${q.importId}`}>
                    import #{q.importId}
                  </Link>
                ) : null}{' '}
                {q.fileName ? `${q.fileName} row ${q.recordIndex}` : `#${q.recordIndex}`} {q.recordKey}
              </Td>
              <Td className="text-xs text-red-800">
                <ul>
                  {q.errors.map((e, i) => (
                    <li key={i}>{e}</li>
                  ))}
                </ul>
              </Td>
              <Td>
                <pre
                  tabIndex={0}
                  className="max-h-32 max-w-md overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-1 text-xs"
                >
                  {q.raw}
                </pre>
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </TableCard>
  );
}
