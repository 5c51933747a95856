'use client';

import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

/** A series of a rule's value: one per scope (facility, or null for all together). */
export interface ValueSeries {
  facility: string | null;
  points: Array<{ at: string; value: number | null }>;
}

const COLORS = ['#1d4ed8', '#0f766e', '#7c3aed', '#c2410c', '#be185d', '#4d7c0f'];

const tick = (t: string) => new Date(t).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit' });
const number = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Number(v.toFixed(3)).toString());

/**
 * A rule's value over time with its threshold (red) and resolve threshold (green, when it differs)
 * drawn across, and a dashed line where the alert fired (or would have).
 */
export function AlertValueChart({
  series,
  threshold,
  resolveThreshold,
  fired = [],
  height = 260,
}: {
  series: ValueSeries[];
  threshold: number;
  resolveThreshold: number | null;
  fired?: string[];
  height?: number;
}) {
  const byAt = new Map<string, Record<string, number | string | null>>();
  const keys = series.map((s, i) => ({
    key: `s${i}`,
    label: s.facility ?? 'All facilities',
    color: COLORS[i % COLORS.length],
  }));
  series.forEach((s, i) => {
    for (const p of s.points) {
      const row = byAt.get(p.at) ?? { t: p.at };
      row[`s${i}`] = p.value;
      byAt.set(p.at, row);
    }
  });
  const data = [...byAt.values()].sort((a, b) => String(a.t).localeCompare(String(b.t)));
  const buckets = data.map((d) => String(d.t));
  const snap = (at: string) => {
    let best: string | null = null;
    for (const b of buckets) if (b <= at) best = b;
    return best;
  };
  return (
    <div style={{ height }} className="tabular-nums" data-testid="alert-chart">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 16, right: 24, bottom: 4, left: 8 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="t" tickFormatter={tick} tick={{ fontSize: 11, fill: '#64748b' }} minTickGap={32} />
          <YAxis tickFormatter={number} tick={{ fontSize: 11, fill: '#64748b' }} width={64} />
          <Tooltip formatter={(v) => number(Number(v))} labelFormatter={(t) => new Date(String(t)).toLocaleString()} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <ReferenceLine
            y={threshold}
            ifOverflow="extendDomain"
            stroke="#b91c1c"
            strokeDasharray="6 3"
            label={{
              value: `threshold ${number(threshold)}`,
              position: 'insideTopRight',
              fontSize: 11,
              fill: '#b91c1c',
            }}
          />
          {resolveThreshold !== null && resolveThreshold !== threshold ? (
            <ReferenceLine
              y={resolveThreshold}
              ifOverflow="extendDomain"
              stroke="#15803d"
              strokeDasharray="6 3"
              label={{
                value: `resolves ${number(resolveThreshold)}`,
                position: 'insideBottomRight',
                fontSize: 11,
                fill: '#15803d',
              }}
            />
          ) : null}
          {fired.map((at) => {
            const x = snap(at);
            return x ? (
              <ReferenceLine
                key={at}
                x={x}
                stroke="#b91c1c"
                strokeOpacity={0.5}
                strokeDasharray="2 3"
                label={{ value: 'fires', position: 'insideTopLeft', fontSize: 10, fill: '#b91c1c' }}
              />
            ) : null;
          })}
          {keys.map((k) => (
            <Line
              key={k.key}
              type="stepAfter"
              dataKey={k.key}
              name={k.label}
              stroke={k.color}
              strokeWidth={1.8}
              dot={false}
              isAnimationActive={false}
              connectNulls={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
