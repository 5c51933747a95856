import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { Table, Td } from '@/components/ui/table';
import { TableCard } from '@/components/ui/table-card';
import { Time } from '@/components/ui/time';
import { formatBytes, formatDuration } from '@/lib/format';
import type { FlatParams } from '@/lib/http/search-params';
import { listImports, type ImportRun } from '@/lib/imports/history';
import { readDb } from '@/lib/http/read';

const n = (x: number) => x.toLocaleString('en-US');
const TONE = { succeeded: 'ok', failed: 'bad', running: 'info' } as const;

/** Every import, newest first: who, what, how many rows did what, and links to what it produced. */
export async function ImportHistoryCard({ page, flat }: { page: number; flat: FlatParams }) {
  const list = await listImports(await readDb(), page);
  return (
    <TableCard
      title="Import history"
      description="Each import with its options, files and counts. A running import's counts grow as it goes."
      csvHref="/api/export/imports"
      testId="import-history"
      page={{ of: list, params: flat, noun: 'imports' }}
      empty={{
        title: 'No imports yet',
        text: (
          <>
            Import a file above, send one to <code>POST /api/v1/imports/:format</code>, or run{' '}
            <code>npm run cli -- import</code>.
          </>
        ),
      }}
    >
      <Table
        caption="Imports"
        columns={[
          '#',
          'Started',
          'Status',
          'Format',
          'By',
          'Files',
          ['Rows', 'right'],
          ['Accepted', 'right'],
          ['Updated', 'right'],
          ['Unchanged', 'right'],
          ['Rejected', 'right'],
          ['Warnings', 'right'],
          ['Took', 'right'],
          'Produced',
        ]}
      >
        <tbody>
          {list.rows.map((r) => (
            <ImportRow key={r.id} r={r} />
          ))}
        </tbody>
      </Table>
    </TableCard>
  );
}

function ImportRow({ r }: { r: ImportRun }) {
  const options = Object.entries(r.options).map(([k, v]) => `${k}=${v}`);
  return (
    <tr id={`import-${r.id}`} data-testid="import-row" className="align-top">
      <Td className="tabular-nums">{r.id}</Td>
      <Td>
        <Time iso={r.startedAt} withSeconds />
      </Td>
      <Td>
        <Badge tone={TONE[r.status]}>{r.status}</Badge>
        {r.error ? <p className="max-w-xs text-xs text-red-800">{r.error}</p> : null}
        <Produced r={r} />
      </Td>
      <Td className="text-xs">
        {r.format}
        {options.map((o) => (
          <p key={o} className="whitespace-nowrap font-mono text-slate-500">
            {o}
          </p>
        ))}
      </Td>
      <Td className="text-xs">
        {r.source ?? '—'} <span className="text-slate-500">({r.via})</span>
      </Td>
      <Td className="text-xs">
        {r.fileNames || '—'} <span className="text-slate-500">{formatBytes(r.bytes)}</span>
      </Td>
      {[r.rows, r.accepted, r.updated, r.unchanged, r.rejected, r.warningCount].map((x, i) => (
        <Td key={i} align="right" className="tabular-nums">
          {n(x)}
        </Td>
      ))}
      <Td align="right" className="tabular-nums">
        {r.durationMs === null ? '…' : formatDuration(r.durationMs)}
      </Td>
    </tr>
  );
}

/** Links to what an import produced: its messages, its rejected rows and their CSV. */
function Produced({ r }: { r: ImportRun }) {
  return (
    <p className="mt-1 space-x-2 whitespace-nowrap text-xs">
      {r.accepted + r.updated + r.unchanged > 0 ? (
        <Link className="underline" href={`/messages?import=${r.id}`}>
          messages
        </Link>
      ) : null}{' '}
      {r.rejected > 0 ? (
        <>
          <Link className="underline" href={`/messages?import=${r.id}#quarantine`}>
            rejected rows
          </Link>{' '}
          <a className="underline" href={`/api/export/quarantine?import=${r.id}`} download>
            errors CSV
          </a>
        </>
      ) : null}
    </p>
  );
}
