import type { Annotation } from '@/components/charts/trend-chart';

/** Change-log entries as chart annotations: a line each, red when the integration team did not review it. */
export function changeLogAnnotations(
  changes: { at: string; kind: string; summary: string; reviewed: boolean }[],
): Annotation[] {
  return changes.map((c) => ({
    at: c.at,
    label: `${c.kind}: ${c.summary}${c.reviewed ? '' : ' (not reviewed)'}`,
    reviewed: c.reviewed,
  }));
}
