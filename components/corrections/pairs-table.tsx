import { Table, Td } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import type { DuplicatePair } from '@/lib/corrections/queries';

/** Corrections keyed in both systems: each ERP correction beside the WMS one it pairs with, and how far apart. */
export function PairsTable({ pairs, caption, testId }: { pairs: DuplicatePair[]; caption: string; testId: string }) {
  return (
    <Table
      caption={caption}
      columns={[
        'Facility',
        'SKU',
        'Lot',
        ['Quantity', 'right'],
        'ERP correction',
        'WMS correction',
        ['Apart', 'right'],
      ]}
    >
      <tbody>
        {pairs.map((p) => (
          <tr key={p.erp.correctionId} data-testid={testId}>
            <Td>{p.erp.facility}</Td>
            <Td className="font-mono">{p.erp.sku}</Td>
            <Td className="text-xs">{p.erp.lot ?? '—'}</Td>
            <Td align="right">
              {p.erp.quantityDelta} {p.erp.uom}
              {p.wms.uom !== p.erp.uom ? (
                <span className="text-xs text-slate-500">
                  {' '}
                  = {p.wms.quantityDelta} {p.wms.uom}
                </span>
              ) : null}
            </Td>
            <Td className="text-xs">
              <span className="font-mono">{p.erp.correctionId}</span> · {p.erp.userName ?? '—'} ·{' '}
              <Time iso={p.erp.at} />
            </Td>
            <Td className="text-xs">
              <span className="font-mono">{p.wms.correctionId}</span> · {p.wms.userName ?? '—'} ·{' '}
              <Time iso={p.wms.at} />
            </Td>
            <Td align="right">
              {p.hoursApart < 1 ? `${Math.round(p.hoursApart * 60)} min` : `${p.hoursApart.toFixed(1)} h`}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
