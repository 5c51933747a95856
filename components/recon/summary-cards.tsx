import Link from 'next/link';
import { KIND_LABEL } from '@/components/recon/labels';
import { summaryOf } from '@/components/recon/loaders';
import { Card, CardHeader } from '@/components/ui/card';
import { formatValue } from '@/lib/format';
import { withParams, type FlatParams } from '@/lib/http/search-params';
import type { DifferenceFilters } from '@/lib/recon/queries';

interface Props {
  f: DifferenceFilters;
  flat: FlatParams;
  /** Values at ERP unit cost: only for the roles that may see money (SPEC 7), checked by the page. */
  money: boolean;
}

interface Line {
  key: string;
  label: React.ReactNode;
  /** Where the line's link leads: the differences with one filter changed. */
  href: string;
  amount: string;
  value: number | null;
}

/** A card of counts, one line each, the label a link that filters the differences below. */
function CountList({
  title,
  description,
  lines,
  money,
  testId,
  strong,
}: {
  title: string;
  description?: string;
  lines: Line[];
  money: boolean;
  testId?: string;
  strong?: Omit<Line, 'href'>;
}) {
  const amount = (l: Omit<Line, 'href'>) => `${l.amount}${money ? ` · ${formatValue(l.value, 'money')}` : ''}`;
  return (
    <Card>
      <CardHeader title={title} description={description} />
      <ul className="divide-y divide-slate-100 text-sm" data-testid={testId}>
        {strong ? (
          <li className="flex justify-between px-4 py-2 font-medium">
            <span>{strong.label}</span>
            <span className="tabular-nums">{amount(strong)}</span>
          </li>
        ) : null}
        {lines.map((l) => (
          <li key={l.key} className="flex justify-between px-4 py-2">
            <Link href={l.href} className="text-blue-700 hover:underline">
              {l.label}
            </Link>
            <span className="tabular-nums">{amount(l)}</span>
          </li>
        ))}
        {!strong && lines.length === 0 ? <li className="px-4 py-2 text-slate-500">No differences.</li> : null}
      </ul>
    </Card>
  );
}

const count = (n: number) => n.toLocaleString('en-US');

export async function ByKindCard({ f, flat, money }: Props) {
  const summary = await summaryOf(f, money);
  return (
    <CountList
      title="By kind"
      description={money ? 'Count and value at ERP unit cost' : 'Count'}
      testId="by-kind"
      money={money}
      strong={{ key: 'all', label: 'All differences', amount: count(summary.total), value: summary.value }}
      lines={summary.byKind.map((k) => ({
        key: k.key,
        label: KIND_LABEL[k.key] ?? k.key,
        href: withParams(flat, { kind: k.key, page: null }),
        amount: count(k.n),
        value: k.value,
      }))}
    />
  );
}

export async function BySourceCard({ f, flat, money }: Props) {
  const summary = await summaryOf(f, money);
  return (
    <CountList
      title="By suspected source"
      description="The tx type of the last message for the SKU before the WMS snapshot"
      money={money}
      lines={summary.bySource.map((s) => ({
        key: s.key,
        label: s.key,
        href: withParams(flat, { source: s.key, page: null }),
        amount: count(s.n),
        value: s.value,
      }))}
    />
  );
}

export async function TopSkusCard({ f, flat, money }: Props) {
  const summary = await summaryOf(f, money);
  return (
    <CountList
      title={money ? 'Top SKUs by value at risk' : 'Top SKUs by quantity'}
      testId="top-skus"
      money={money}
      lines={summary.topSkus.map((s) => ({
        key: `${s.facility}|${s.sku}`,
        label: (
          <>
            {s.sku} <span className="text-xs text-slate-500">{s.facility}</span>
          </>
        ),
        href: withParams(flat, { sku: s.sku, facility: s.facility, page: null }),
        amount: `${s.delta} units`,
        value: s.value,
      }))}
    />
  );
}
