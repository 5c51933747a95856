// The bench's deterministic traffic, in plain JavaScript so that a worker thread can load it
// without a TypeScript loader. Run as a worker (workerData { n, batch, now }), it answers each
// batch number it is sent with that batch as a JSON body, transferred, not copied.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

const TX = [
  'receipt',
  'putaway',
  'pick',
  'shipment',
  'adjustment',
  'transfer',
  'purchase_order',
  'order_release',
  'cycle_count',
  'return',
];
const SPAN = 90 * 86_400_000;

function rand(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Batch `b` of `n` messages in batches of `batch`, created over the 90 days before `now`. */
export function batchOf(b, n, batch, now) {
  const r = rand(b + 1);
  const out = [];
  const start = b * batch;
  for (let i = start; i < Math.min(n, start + batch); i++) {
    const dup = r() < 0.005 && out.length > 0;
    // A live feed: creation times advance through the 90 days with a few minutes of jitter.
    const created = dup
      ? Date.parse(out[out.length - 1].createdAt) + 60_000
      : now - SPAN + Math.floor((i / n) * SPAN) + Math.floor(r() * 600_000) - 600_000;
    const roll = r();
    const status = roll < 0.02 ? 'failed' : roll < 0.03 ? 'pending' : 'delivered';
    const delay = Math.round(500 + Math.exp(r() * 11));
    const m = dup
      ? {
          ...out[out.length - 1],
          messageId: `B-${i}`,
          createdAt: new Date(created).toISOString(),
          processedAt: new Date(created + delay).toISOString(),
          status: 'delivered',
          errorCode: null,
          errorMessage: null,
        }
      : {
          messageId: `B-${i}`,
          txType: TX[Math.floor(r() * TX.length)],
          direction: 'wms_to_erp',
          facility: `DC${1 + Math.floor(r() * 3)}`,
          correlationKey: `DOC-${Math.floor(i / 3)}`,
          lineKey: String(1 + (i % 3)),
          sku: `SKU-${Math.floor(r() * 5000)}`,
          quantity: String(1 + Math.floor(r() * 48)),
          uom: 'EA',
          lot: null,
          location: `A-${Math.floor(r() * 40)}`,
          status,
          attempts: r() < 0.05 ? 2 : 1,
          errorCode: status === 'failed' ? 'TIMEOUT' : null,
          errorMessage: status === 'failed' ? `ERP endpoint timed out after ${30000 + Math.floor(r() * 100)} ms` : null,
          createdAt: new Date(created).toISOString(),
          processedAt: status === 'delivered' ? new Date(created + delay).toISOString() : null,
          payload: { n: i },
        };
    out.push(m);
  }
  return out;
}

if (!isMainThread && workerData?.traffic) {
  const { n, batch, now } = workerData.traffic;
  const encoder = new TextEncoder();
  parentPort.on('message', (b) => {
    const body = encoder.encode(JSON.stringify(batchOf(b, n, batch, now)));
    parentPort.postMessage({ b, body }, [body.buffer]);
  });
}
