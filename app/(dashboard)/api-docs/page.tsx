import { headers } from 'next/headers';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { requireCapability } from '@/lib/auth/session';
import { openApiDocument } from '@/lib/api/openapi';
import { alertsOpenApi } from '@/lib/alerts/openapi';

export const metadata = { title: 'API' };

function Code({ children }: { children: string }) {
  return (
    <pre tabIndex={0} className="overflow-x-auto rounded bg-slate-900 p-3 text-xs leading-relaxed text-slate-100">
      <code>{children}</code>
    </pre>
  );
}

export default async function ApiDocsPage() {
  await requireCapability('payloads.read');
  const h = await headers();
  const base = `${h.get('x-forwarded-proto') ?? 'http'}://${h.get('host') ?? 'localhost:3000'}`;
  const doc = openApiDocument(base, alertsOpenApi());
  const sample = JSON.stringify([
    {
      messageId: 'WMS-RCV-000123',
      txType: 'receipt',
      direction: 'wms_to_erp',
      facility: 'DC1',
      correlationKey: 'PO-4500012345',
      lineKey: '10',
      sku: 'SKU-10023',
      quantity: 24,
      uom: 'EA',
      status: 'delivered',
      attempts: 1,
      createdAt: '2026-11-20T10:00:00Z',
      processedAt: '2026-11-20T10:00:05Z',
    },
  ]);
  return (
    <>
      <PageHeader title="API v1" description={doc.info.description.split('. ')[0] + '.'} />
      <div className="space-y-4">
        <Card>
          <CardHeader title="1. Get an API key" />
          <CardBody className="space-y-2 text-sm">
            <p>An admin creates one on the Admin page, or on the server:</p>
            <Code>{`npm run cli -- api-key create middleware-prod`}</Code>
            <p>
              The key is printed once, on the last line. Send it as <code>Authorization: Bearer &lt;key&gt;</code>.
            </p>
          </CardBody>
        </Card>
        <Card>
          <CardHeader
            title="2. Send messages"
            description="A JSON array or NDJSON, up to 10,000 records and 10 MB per request."
          />
          <CardBody className="space-y-2 text-sm">
            <Code>{`curl -sS -X POST ${base}/api/v1/messages \\
  -H "Authorization: Bearer $SYNC_HEALTH_KEY" -H "Content-Type: application/json" \\
  -d '${sample}'`}</Code>
            <p>
              Answer: <code>{'{ "accepted": 1, "updated": 0, "unchanged": 0, "rejected": [] }'}</code>. Rejected records
              are listed by index with their errors and kept in the quarantine (Messages page).
            </p>
            <Code>{`curl -sS -X POST ${base}/api/v1/messages -H "Authorization: Bearer $SYNC_HEALTH_KEY" \\
  -H "Content-Type: application/x-ndjson" --data-binary @messages.ndjson`}</Code>
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="3. Read KPIs" />
          <CardBody className="space-y-2 text-sm">
            <Code>{`curl -sS "${base}/api/v1/kpis?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z&facility=DC1" \\
  -H "Authorization: Bearer $SYNC_HEALTH_KEY"`}</Code>
          </CardBody>
        </Card>
        <Card>
          <CardHeader
            title="4. Reconcile stock"
            description="Send each system's on-hand snapshot (JSON or CSV, up to 1,000,000 rows), then start a run and follow it."
          />
          <CardBody className="space-y-2 text-sm">
            <Code>{`curl -sS -X POST "${base}/api/v1/snapshots?system=wms&facility=DC1&takenAt=2026-11-21T06:00:00Z" \
  -H "Authorization: Bearer $SYNC_HEALTH_KEY" -H "Content-Type: text/csv" --data-binary @wms-onhand.csv`}</Code>
            <Code>{`curl -sS -X POST ${base}/api/v1/reconciliations -H "Authorization: Bearer $SYNC_HEALTH_KEY" \
  -H "Content-Type: application/json" -d '{"facility":"DC1"}'
curl -sS ${base}/api/v1/reconciliations/1 -H "Authorization: Bearer $SYNC_HEALTH_KEY"`}</Code>
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Other feeds and choices" />
          <CardBody className="space-y-2 text-sm">
            <ul className="list-disc pl-5">
              {Object.entries(doc.paths).map(([path, ops]) => (
                <li key={path}>
                  <code>
                    {Object.keys(ops)[0].toUpperCase()} {path}
                  </code>{' '}
                  — {Object.values(ops)[0].summary}
                </li>
              ))}
            </ul>
            <p className="text-slate-600">{doc.info.description}</p>
            <p>
              The full OpenAPI 3.1 document:{' '}
              <a className="text-blue-700 underline" href="/api/v1/openapi.json">
                /api/v1/openapi.json
              </a>
            </p>
          </CardBody>
        </Card>
      </div>
    </>
  );
}
