/**
 * The options the oca-queue-job and celigo-errors fixtures (lib/imports/fixtures) are imported
 * with, so that a format's own tests and the end-to-end import tests read them the same way.
 */

/** The Celigo flow and import step the open and resolved errors were fetched from. */
export const CELIGO_FLOW = '6740a1b2c3d4e5f6aaaaaaaa';
export const CELIGO_STEP = '6740a1b2c3d4e5f6bbbbbbbb';

export const FIXTURE_OPTIONS = {
  'oca-queue-job': {
    direction: 'erp_to_wms',
    facility: 'DC1',
    'map.stock.picking._export_to_wms': 'order_release',
    'map.stock.picking': 'receipt',
    'map.product.product': 'item_master',
    'map.sale.order._send_release': 'order_release',
  },
  'celigo-errors': {
    direction: 'erp_to_wms',
    facility: 'DC1',
    flow: CELIGO_FLOW,
    step: CELIGO_STEP,
    [`map.${CELIGO_STEP}`]: 'order_release',
  },
} satisfies Record<string, Record<string, string>>;
