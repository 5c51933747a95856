import Link from 'next/link';
import { notFound } from 'next/navigation';
import { BulkActionBar } from '@/components/exceptions/bulk-action-bar';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { can } from '@/lib/auth/permissions';
import { requireCapability } from '@/lib/auth/session';
import { maskErrorMessage } from '@/lib/detect/fingerprint';
import { LIFECYCLE_LABELS } from '@/lib/detect/lifecycle';
import { exceptionOwners, getException } from '@/lib/exceptions/queries';
import { formatAge, formatDuration } from '@/lib/format';
import { bulkAction } from '../actions';
import { readDb } from '@/lib/http/read';

export const metadata = { title: 'Exception' };

export default async function ExceptionPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireCapability('exceptions.read');
  const id = Number((await params).id);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  const db = await readDb();
  const data = await getException(db, id);
  if (!data) notFound();
  const { exception: e, message, history, timeline, similar, audit, groupSize, glossary } = data;
  const raw = can(user.role, 'payloads.read');
  const errorText = raw ? e.errorMessage : maskErrorMessage(e.errorMessage);
  return (
    <>
      <PageHeader
        title={`${e.txType} ${e.errorCode ?? ''} · ${e.messageId}`}
        description={`${e.facility} · opened ${formatAge(e.ageSeconds)} ago · ${groupSize} in this group`}
        actions={
          <Link href="/exceptions" className="text-sm text-blue-700 underline">
            ← Back to the queue
          </Link>
        }
      />
      {can(user.role, 'exceptions.act') && (e.state === 'open' || e.state === 'acknowledged') ? (
        <div className="mb-4">
          <input type="hidden" name="ids" value={e.id} form="bulk" />
          <BulkActionBar action={bulkAction} owners={await exceptionOwners(db)} />
        </div>
      ) : null}
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader title="Exception" />
          <CardBody>
            <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm md:grid-cols-3">
              <div>
                <dt className="text-xs text-slate-500">Status</dt>
                <dd>
                  <Badge tone={e.state === 'open' ? 'bad' : e.state === 'acknowledged' ? 'warn' : 'ok'}>
                    {e.state}
                  </Badge>
                </dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Owner</dt>
                <dd>{e.owner ?? 'unassigned'}</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Root cause</dt>
                <dd>{e.rootCause}</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Opened</dt>
                <dd>
                  <Time iso={e.openedAt} withSeconds />
                </dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Resolved</dt>
                <dd>
                  <Time iso={e.resolvedAt} withSeconds />
                </dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Effort</dt>
                <dd data-testid="exception-effort">{e.effortMinutes === null ? '—' : `${e.effortMinutes} min`}</dd>
              </div>
              <div className="col-span-full">
                <dt className="text-xs text-slate-500">
                  Error {raw ? '(raw)' : '(identifiers masked; raw text for IT)'}
                </dt>
                <dd className="font-mono text-xs" data-testid="error-text">
                  {e.errorCode} {errorText}
                </dd>
              </div>
              {glossary ? (
                <div className="col-span-full rounded bg-slate-50 px-3 py-2" data-testid="glossary">
                  <dt className="text-xs text-slate-500">{e.errorCode}, from the glossary</dt>
                  <dd>
                    {glossary.meaning}
                    {glossary.action ? (
                      <>
                        {' '}
                        <span className="font-medium">What to do:</span> {glossary.action}
                      </>
                    ) : null}
                  </dd>
                </div>
              ) : null}
              {e.note ? (
                <div className="col-span-full">
                  <dt className="text-xs text-slate-500">Note</dt>
                  <dd>{e.note}</dd>
                </div>
              ) : null}
            </dl>
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Audit trail" />
          <CardBody>
            <ol className="space-y-2 text-sm" data-testid="audit-trail">
              {audit.map((a, i) => (
                <li key={i}>
                  <span className="font-medium">{a.action}</span> by {a.actor}{' '}
                  <span className="text-slate-500">
                    <Time iso={a.at} />
                  </span>
                  {a.detail && Object.values(a.detail).some(Boolean) ? (
                    <span className="block text-xs text-slate-500">
                      {Object.entries(a.detail)
                        .filter(([, v]) => v !== null && v !== undefined && v !== '')
                        .map(([k, v]) => `${k}: ${v}`)
                        .join(' · ')}
                    </span>
                  ) : null}
                </li>
              ))}
            </ol>
          </CardBody>
        </Card>
      </div>
      {message ? (
        <Card className="mt-4">
          <CardHeader
            title="The message"
            description={`${message.direction.replace('_to_', ' → ').toUpperCase()} · status ${message.status} · attempts ${message.attempts}`}
          />
          <CardBody>
            <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm md:grid-cols-5">
              {(
                [
                  'correlationKey',
                  'lineKey',
                  'sku',
                  'quantity',
                  'uom',
                  'lot',
                  'location',
                  'customer',
                  'createdAt',
                  'processedAt',
                  'updatedAt',
                ] as const
              ).map((k) => (
                <div key={k}>
                  <dt className="text-xs text-slate-500">{k}</dt>
                  <dd className="tabular-nums">
                    {k.endsWith('At') ? <Time iso={message[k]} withSeconds /> : (message[k] ?? '—')}
                  </dd>
                </div>
              ))}
            </dl>
            <h3 className="mt-4 text-xs font-semibold uppercase tracking-wide text-slate-500">Status history</h3>
            <ol className="mt-1 flex flex-wrap items-center gap-2 text-sm" data-testid="status-history">
              {history.map((v, i) => (
                <li key={i} className="flex items-center gap-2">
                  {i ? (
                    <span aria-hidden className="text-slate-500">
                      →
                    </span>
                  ) : null}
                  <Badge
                    tone={
                      v.status === 'delivered'
                        ? 'ok'
                        : v.status === 'failed' || v.status === 'dead_letter'
                          ? 'bad'
                          : 'warn'
                    }
                  >
                    {v.status}
                  </Badge>
                  <span className="text-xs text-slate-600">
                    <Time iso={v.updatedAt} withSeconds /> · attempt {v.attempts}
                    {v.errorCode ? ` · ${v.errorCode}` : ''}
                    {v.current ? ' · current' : ''}
                  </span>
                </li>
              ))}
            </ol>
            {raw ? (
              <details className="mt-4" data-testid="payload">
                <summary className="cursor-pointer text-sm font-medium">Payload</summary>
                <pre
                  tabIndex={0}
                  className="mt-2 max-h-80 overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-100"
                >
                  {JSON.stringify(message.payload, null, 2)}
                </pre>
              </details>
            ) : (
              <p className="mt-4 text-xs text-slate-500">Payloads are shown to IT and admins.</p>
            )}
          </CardBody>
        </Card>
      ) : null}
      <Card className="mt-4">
        <CardHeader
          title={`Document timeline ${message?.correlationKey ?? ''}`}
          description="Every message of the same document, in order; the gap column shows the time since the previous step, and the lifecycle column a step that broke the document's flow (sent before the step before it, before that step was delivered, without it, or not delivered within its SLA)."
        />
        {timeline.length ? (
          <Table
            caption="Document timeline"
            columns={[
              'Created',
              'Gap',
              'Message',
              'Tx type',
              'Direction',
              'Facility',
              ['Qty', 'right'],
              'Status',
              'Delay',
              'Lifecycle',
            ]}
          >
            <tbody>
              {timeline.map((t, i) => {
                const kinds = t.lifecycle;
                const gap = i ? Date.parse(t.createdAt) - Date.parse(timeline[i - 1].createdAt) : null;
                const delayMs = t.processedAt ? Date.parse(t.processedAt) - Date.parse(t.createdAt) : null;
                return (
                  <tr key={t.messageId} className={t.messageId === e.messageId ? 'bg-amber-50' : ''}>
                    <Td>
                      <Time iso={t.createdAt} withSeconds />
                    </Td>
                    <Td className="tabular-nums">{gap === null ? '—' : formatDuration(gap)}</Td>
                    <Td>{t.messageId}</Td>
                    <Td>{t.txType}</Td>
                    <Td>{t.direction}</Td>
                    <Td>{t.facility}</Td>
                    <Td align="right">
                      {t.quantity ?? '—'} {t.uom}
                    </Td>
                    <Td>
                      <Badge
                        tone={
                          t.status === 'delivered'
                            ? 'ok'
                            : t.status === 'failed' || t.status === 'dead_letter'
                              ? 'bad'
                              : 'warn'
                        }
                      >
                        {t.status}
                      </Badge>
                    </Td>
                    <Td className="tabular-nums">{delayMs === null ? '—' : formatDuration(delayMs)}</Td>
                    <Td className="text-xs">
                      {kinds.length ? (
                        <span className="text-amber-800" data-testid="lifecycle-finding">
                          {kinds.map((k) => LIFECYCLE_LABELS[k]).join('; ')}
                        </span>
                      ) : (
                        <span className="text-slate-400">—</span>
                      )}
                    </Td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
        ) : (
          <CardBody>
            <p className="text-sm text-slate-500">The message has no document key, so there is no timeline.</p>
          </CardBody>
        )}
      </Card>
      <Card className="mt-4">
        <CardHeader
          title="Similar exceptions"
          description="Same group: tx type, error code and error text with identifiers masked."
        />
        {similar.length ? (
          <Table caption="Similar exceptions" columns={['Opened', 'Message', 'Facility', 'SKU', 'Status']}>
            <tbody>
              {similar.map((s) => (
                <tr key={s.id}>
                  <Td>
                    <Time iso={s.openedAt} />
                  </Td>
                  <Td>
                    <Link className="text-blue-700 hover:underline" href={`/exceptions/${s.id}`}>
                      {s.messageId}
                    </Link>
                  </Td>
                  <Td>{s.facility}</Td>
                  <Td>{s.sku ?? '—'}</Td>
                  <Td>{s.state}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : (
          <CardBody>
            <p className="text-sm text-slate-500">This is the only one of its kind.</p>
          </CardBody>
        )}
      </Card>
    </>
  );
}
