import { MINUTE_MS } from '@/lib/simulator/model';
import type { Scenario } from '@/lib/simulator/scenario';

export const cancelAfterRelease = {
  world: 'The ERP cancels an order the WMS already picked.',
  injects: 'order_cancel after pick, failed ORDER_ALREADY_PICKED.',
  detector: 'exceptions (timing)',
  rate: 0.01,
  hooks: {
    picked(s, o) {
      if (!s.fires()) return false;
      const c = s.emit(
        {
          txType: 'order_cancel',
          direction: 'erp_to_wms',
          facility: o.facility,
          correlationKey: o.so,
          lineKey: '1',
          customer: o.customer,
          sku: o.sku,
          quantity: String(o.qty),
          uom: 'EA',
          lot: null,
          location: null,
          status: 'delivered',
        },
        o.pickedAt + 10 * MINUTE_MS,
      );
      s.fail(c, 'failed', 'ORDER_ALREADY_PICKED', `Order ${o.so} cannot be cancelled: already picked`);
      s.inject(c.messageId);
      return true;
    },
  },
  async expect(d) {
    d.expect(await d.q.exceptionsWith('ORDER_ALREADY_PICKED')).toMatchObject({ n: d.injected, cause: 'timing' });
  },
} satisfies Scenario;
