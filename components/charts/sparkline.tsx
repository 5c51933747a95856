'use client';

import { Area, AreaChart, ResponsiveContainer } from 'recharts';

const COLORS = { ok: '#15803d', warn: '#b45309', bad: '#b91c1c', neutral: '#475569' } as const;

export function Sparkline({
  values,
  tone = 'neutral',
  height = 36,
}: {
  values: number[];
  tone?: keyof typeof COLORS;
  height?: number;
}) {
  if (values.length < 2) return <div style={{ height }} aria-hidden />;
  const data = values.map((v, i) => ({ i, v }));
  const color = COLORS[tone];
  return (
    <div style={{ height }} aria-hidden>
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={data} margin={{ top: 2, right: 0, bottom: 2, left: 0 }} accessibilityLayer={false}>
          <Area
            type="monotone"
            dataKey="v"
            stroke={color}
            fill={color}
            fillOpacity={0.12}
            strokeWidth={1.5}
            isAnimationActive={false}
            dot={false}
          />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
