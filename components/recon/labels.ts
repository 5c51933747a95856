import type { Tone } from '@/components/ui/badge';
import type { RunRow } from '@/lib/recon/queries';

export const KIND_LABEL: Record<string, string> = {
  missing_in_erp: 'Missing in ERP',
  missing_in_wms: 'Missing in WMS',
  quantity: 'Quantity',
  uom: 'Unit of measure',
  lot: 'Lot',
  location: 'Location',
};

export const runTone = (s: RunRow['status']): Tone => (s === 'succeeded' ? 'ok' : s === 'failed' ? 'bad' : 'info');
