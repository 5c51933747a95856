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
import { durationTicks, formatTick, formatValue, type ValueFormat } from '@/lib/format';

export interface TrendConfig {
  /** series key → label and colour */
  series: Record<string, { label: string; color: string }>;
  format: ValueFormat;
}

export interface Annotation {
  at: string;
  label: string;
  reviewed: boolean;
}

const tickTime = (grain: 'hour' | 'day') => (t: string) => {
  const d = new Date(t);
  return grain === 'day'
    ? d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
    : d.toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
};

/** Nearest bucket at or before a timestamp, so annotations sit on the category axis. */
function snap(at: string, buckets: string[]) {
  let best: string | null = null;
  for (const b of buckets) if (b <= at) best = b;
  return best;
}

export function TrendChart({
  data,
  config,
  grain,
  annotations = [],
  height = 260,
}: {
  data: Record<string, number | string | null>[];
  config: TrendConfig;
  grain: 'hour' | 'day';
  annotations?: Annotation[];
  height?: number;
}) {
  const buckets = data.map((d) => String(d.t));
  const fmt = (v: number) => formatValue(v, config.format);
  const tick = (v: number) => formatTick(v, config.format);
  let ticks: number[] | undefined;
  if (config.format === 'duration') {
    let max = 0;
    for (const d of data) for (const key in config.series) max = Math.max(max, Number(d[key] ?? 0) || 0);
    ticks = durationTicks(max) ?? undefined;
  }
  return (
    <div style={{ height }} className="tabular-nums">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 16, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="t" tickFormatter={tickTime(grain)} tick={{ fontSize: 11, fill: '#64748b' }} minTickGap={24} />
          <YAxis
            tickFormatter={tick}
            ticks={ticks}
            domain={ticks ? [0, ticks[ticks.length - 1]] : undefined}
            tick={{ fontSize: 11, fill: '#64748b' }}
            width={64}
          />
          <Tooltip formatter={(v) => fmt(Number(v))} labelFormatter={(t) => new Date(String(t)).toLocaleString()} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {annotations.map((a) => {
            const x = snap(a.at, buckets);
            return x ? (
              <ReferenceLine
                key={a.at + a.label}
                x={x}
                stroke={a.reviewed ? '#64748b' : '#b91c1c'}
                strokeDasharray="4 3"
                label={{
                  value: a.label,
                  position: 'insideTopLeft',
                  fontSize: 10,
                  fill: a.reviewed ? '#475569' : '#b91c1c',
                }}
              />
            ) : null;
          })}
          {Object.entries(config.series).map(([key, s]) => (
            <Line
              key={key}
              type="monotone"
              dataKey={key}
              name={s.label}
              stroke={s.color}
              strokeWidth={1.8}
              dot={false}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
