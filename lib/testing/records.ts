/**
 * The records tests send through the ingest, as the v1 API takes them: each with the values most
 * tests do not care about, and what a test does care about given over them.
 */

/**
 * A message: a delivered receipt line of 1 EA of SKU `S` at facility `F`, its own document,
 * processed when created. A failed one (by `o.status`) has an error unless `o` gives one.
 */
export function testMessage(messageId: string, createdAt: string, o: Record<string, unknown> = {}) {
  const status = o.status ?? 'delivered';
  return {
    messageId,
    txType: 'receipt',
    direction: 'wms_to_erp',
    facility: 'F',
    correlationKey: messageId,
    sku: 'S',
    quantity: 1,
    uom: 'EA',
    status,
    attempts: 1,
    createdAt,
    processedAt: status === 'delivered' ? createdAt : null,
    ...(status === 'failed' ? { errorCode: 'E', errorMessage: 'boom' } : {}),
    ...o,
  };
}

/** A manual correction: 1 EA of SKU `S` at facility `DC1`, location `A`, no lot, for DAMAGE, by kim. */
export function testCorrection(correctionId: string, system: string, at: string, o: Record<string, unknown> = {}) {
  return {
    correctionId,
    system,
    facility: 'DC1',
    sku: 'S',
    location: 'A',
    lot: null,
    quantityDelta: 1,
    uom: 'EA',
    reasonCode: 'DAMAGE',
    user: 'kim',
    at,
    ...o,
  };
}

/**
 * Messages from a table: `columns` names the field each value of a row gives (`messageId` and
 * `createdAt` among them), over testMessage's defaults.
 */
export function testMessages(columns: readonly string[], rows: readonly (readonly unknown[])[]) {
  return rows.map((row) => {
    const o = Object.fromEntries(columns.map((c, i) => [c, row[i]]));
    return testMessage(String(o.messageId), String(o.createdAt), o);
  });
}
