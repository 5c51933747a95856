import { describe, expect, it } from 'vitest';
import type { TxType } from '@/db/schema';
import {
  BUILT_IN_TX_TYPES,
  DEAD_LETTER_CODES,
  DELIVERED_CODES,
  FAILED_CODES,
  computeMessage,
  fillPlaceholders,
  mappingOf,
  statusGroup,
  type Mapping,
} from './compute';
import type { ControlFact, StatusFact } from './fields';

const T0 = Date.UTC(2026, 10, 20, 10, 0, 0);
const MIN = 60_000;

const control = (o: Partial<ControlFact> = {}): ControlFact => ({
  docnum: '0000000000000042',
  mestyp: 'WMMBXY',
  direct: '2',
  sndprn: 'WMSDC1',
  rcvprn: 'S4PCLNT100',
  status: '50',
  createdMs: T0,
  updatedMs: T0 + MIN,
  raw: 'raw control',
  ...o,
});

const row = (countr: number, status: string, o: Partial<StatusFact> = {}): StatusFact => ({
  docnum: '0000000000000042',
  countr,
  status,
  loggedMs: T0 + countr * MIN,
  stamid: null,
  stamno: null,
  statxt: null,
  stapa1: null,
  stapa2: null,
  stapa3: null,
  stapa4: null,
  raw: `raw ${countr}`,
  file: 'EDIDS.txt',
  row: countr,
  ...o,
});

const mapping = (
  o: { map?: Record<string, string>; partner?: Record<string, string>; facility?: string | null } = {},
) => {
  const m = mappingOf(o.map ?? {}, o.partner ?? { WMSDC1: 'DC1' }, o.facility ?? null);
  if (m.error !== undefined) throw new Error(m.error);
  return m.mapping;
};

const value = (c: ControlFact, rows: StatusFact[], m: Mapping = mapping()) => {
  const r = computeMessage(c, rows, m);
  if (r.errors) throw new Error(r.errors.join('; '));
  return r.value;
};

/** Every status SPEC 10 names as pending, and a few it leaves to "every other". */
const PENDING_CODES = ['01', '30', '50', '62', '64', '66', '69', '75', '06', '08', '10', '18', '22', '42', '55', '61'];

describe('status groups (SPEC 10)', () => {
  const groups = [
    ...DELIVERED_CODES.map((c) => [c, 'delivered'] as const),
    ...FAILED_CODES.map((c) => [c, 'failed'] as const),
    ...DEAD_LETTER_CODES.map((c) => [c, 'dead_letter'] as const),
    ...PENDING_CODES.map((c) => [c, 'pending'] as const),
  ];

  it('lists exactly the codes of the SPEC', () => {
    expect(DELIVERED_CODES).toEqual(['03', '12', '39', '41', '53']);
    expect(FAILED_CODES.join(' ')).toBe('02 04 05 07 09 11 17 20 21 23 26 27 29 34 37 40 51 52 54 56 57 60 63 65');
    expect(DEAD_LETTER_CODES).toEqual(['31', '68']);
  });

  it.each(groups)('status %s of the last EDIDS row makes the message %s', (code, group) => {
    expect(statusGroup(code)).toBe(group);
    const v = value(control({ status: '01' }), [row(1, '50'), row(2, code, { stamid: 'ZWM', stamno: '100' })]);
    expect(v.status).toBe(group);
    expect(v.processedAt).toBe(group === 'delivered' ? new Date(T0 + 2 * MIN).toISOString() : null);
    expect(v.errorCode).toBe(group === 'failed' ? 'ZWM/100' : group === 'dead_letter' ? 'ZWM/100' : null);
    expect(v.updatedAt).toBe(new Date(T0 + 2 * MIN).toISOString());
  });

  it.each(groups)('EDIDC STATUS %s without EDIDS rows makes the message %s', (code, group) => {
    const v = value(control({ status: code }), []);
    expect(v.status).toBe(group);
    const failing = group === 'failed' || group === 'dead_letter';
    expect(v.errorCode).toBe(failing ? `STATUS ${code}` : null);
    expect(v.errorMessage).toBe(failing ? `STATUS ${code}` : null);
    // Without EDIDS rows: processedAt and updatedAt from UPDDAT+UPDTIM.
    expect(v.processedAt).toBe(group === 'delivered' ? new Date(T0 + MIN).toISOString() : null);
    expect(v.updatedAt).toBe(new Date(T0 + MIN).toISOString());
    expect(v.attempts).toBe(1);
  });

  it('takes the row with the highest COUNTR, whatever the order rows come in', () => {
    const v = value(control(), [row(3, '53'), row(1, '50'), row(2, '51')]);
    expect(v.status).toBe('delivered');
    expect(v.payload).toMatchObject({ idoc: { status: '53', statusRecords: 3 } });
  });
});

describe('error code and message', () => {
  it('fill &1…&4 by position, bare & in turn, && as one &', () => {
    const p = ['A', 'B', 'C', 'D'];
    expect(fillPlaceholders('&1 &2 &3 &4', p)).toBe('A B C D');
    expect(fillPlaceholders('& then & then &', p)).toBe('A then B then C');
    expect(fillPlaceholders('&4 before &1', p)).toBe('D before A');
    expect(fillPlaceholders('Stock & in plant &3', p)).toBe('Stock A in plant C');
    expect(fillPlaceholders('R&&D &1', p)).toBe('R&D A');
    expect(fillPlaceholders('Missing &2 and & &', ['X', null, null, null])).toBe('Missing  and X');
  });

  it('come from the failed row with the highest COUNTR, STAMID/STAMNO and STATXT filled from STAPA1…4', () => {
    const rows = [
      row(1, '51', { stamid: 'M7', stamno: '021', statxt: 'old &1', stapa1: 'x' }),
      row(2, '64'),
      row(3, '51', {
        stamid: 'ZWM',
        stamno: '114',
        statxt: 'No stock of & in plant &',
        stapa1: 'SKU-1',
        stapa2: '1000',
      }),
    ];
    const v = value(control(), rows);
    expect(v).toMatchObject({
      status: 'failed',
      errorCode: 'ZWM/114',
      errorMessage: 'No stock of SKU-1 in plant 1000',
    });
  });

  it('say STATUS <n> when the row has no message id or text', () => {
    const v = value(control(), [row(1, '56')]);
    expect(v).toMatchObject({ errorCode: 'STATUS 56', errorMessage: 'STATUS 56' });
  });

  it('of a dead letter are the last failed row before it; without one, its own row', () => {
    const withFailure = value(control(), [row(1, '51', { stamid: 'ZWM', stamno: '402', statxt: 'E' }), row(2, '68')]);
    expect(withFailure).toMatchObject({ status: 'dead_letter', errorCode: 'ZWM/402', errorMessage: 'E' });
    const alone = value(control(), [row(1, '50'), row(2, '31', { statxt: 'Marked for deletion' })]);
    expect(alone).toMatchObject({ status: 'dead_letter', errorCode: 'STATUS 31', errorMessage: 'Marked for deletion' });
  });

  it('are null once the message is delivered or pending again', () => {
    expect(value(control(), [row(1, '51', { stamid: 'A', stamno: '1' }), row(2, '53')])).toMatchObject({
      errorCode: null,
      errorMessage: null,
    });
    expect(value(control(), [row(1, '51', { stamid: 'A', stamno: '1' }), row(2, '64')])).toMatchObject({
      status: 'pending',
      errorCode: null,
    });
  });
});

describe('attempts', () => {
  it('count distinct LOGDAT+LOGTIM among failed or delivered rows', () => {
    const rows = [row(1, '50'), row(2, '51'), row(3, '64'), row(4, '51'), row(5, '53')];
    expect(value(control(), rows).attempts).toBe(3);
  });

  it('count rows logged at the same second once, and never go below 1', () => {
    const same = T0 + 5 * MIN;
    expect(value(control(), [row(1, '51', { loggedMs: same }), row(2, '53', { loggedMs: same })]).attempts).toBe(1);
    expect(value(control(), [row(1, '50'), row(2, '64')]).attempts).toBe(1);
    expect(value(control(), [row(1, '31')]).attempts).toBe(1);
  });

  it('of a reprocessed IDoc (51, then 53 a day later) are 2', () => {
    const v = value(control(), [row(1, '50'), row(2, '51'), row(3, '53', { loggedMs: T0 + 24 * 60 * MIN })]);
    expect(v).toMatchObject({ status: 'delivered', attempts: 2, processedAt: '2026-11-21T10:00:00.000Z' });
  });
});

describe('direction and facility', () => {
  it('read DIRECT 1 as erp_to_wms on RCVPRN and 2 as wms_to_erp on SNDPRN', () => {
    const m = mapping({ partner: { WMSDC1: 'DC1', WMSDC2: 'DC2' } });
    expect(value(control({ direct: '1', rcvprn: 'WMSDC2', sndprn: 'WMSDC1' }), [], m)).toMatchObject({
      direction: 'erp_to_wms',
      facility: 'DC2',
    });
    expect(value(control({ direct: '2', rcvprn: 'WMSDC2', sndprn: 'WMSDC1' }), [], m)).toMatchObject({
      direction: 'wms_to_erp',
      facility: 'DC1',
    });
  });

  it('without DIRECT, take the direction from the status: below 50 outbound, 50 and above inbound', () => {
    const m = mapping({ facility: 'DC9' });
    expect(value(control({ direct: null }), [row(1, '03')], m).direction).toBe('erp_to_wms');
    expect(value(control({ direct: null }), [row(1, '49')], m).direction).toBe('erp_to_wms');
    expect(value(control({ direct: null }), [row(1, '50')], m).direction).toBe('wms_to_erp');
    expect(value(control({ direct: null, status: '12' }), [], m).direction).toBe('erp_to_wms');
  });

  it('reject a DIRECT that is neither 1 nor 2', () => {
    expect(computeMessage(control({ direct: '3' }), [], mapping()).errors).toEqual([
      'DIRECT "3" is neither 1 (outbound) nor 2 (inbound)',
    ]);
  });

  it('match a partner option written with or without leading zeros, else use option facility', () => {
    const m = mapping({ partner: { '100001': 'DC7' }, facility: 'DEFAULT' });
    expect(value(control({ sndprn: '0000100001' }), [], m).facility).toBe('DC7');
    expect(value(control({ sndprn: 'OTHER' }), [], m).facility).toBe('DEFAULT');
  });

  it('reject an IDoc without a facility, naming the partner and both options', () => {
    const r = computeMessage(control({ sndprn: 'WMSX' }), [], mapping({ partner: {} }));
    expect(r.errors).toEqual([
      'no facility for this IDoc: add the option partner.WMSX=<facility> (its SNDPRN is "WMSX") or the option facility',
    ]);
  });
});

describe('txType', () => {
  it('maps every built-in MESTYP as the SPEC lists it', () => {
    const spec: Partial<Record<TxType, string[]>> = {
      adjustment: ['WMMBXY', 'MBGMCR'],
      shipment: ['SHPCON', 'DESADV', 'WHSCON'],
      order_release: ['DELVRY', 'SHPORD'],
      item_master: ['MATMAS', 'ARTMAS'],
      purchase_order: ['ORDERS'],
      putaway: ['WMTORD', 'WMTOCO'],
      cycle_count: ['WMINVE'],
    };
    const byMestyp = Object.fromEntries(
      Object.entries(spec).flatMap(([tx, mestyps]) => mestyps.map((mestyp) => [mestyp, tx])),
    );
    expect(BUILT_IN_TX_TYPES).toEqual(byMestyp);
    for (const [mestyp, tx] of Object.entries(BUILT_IN_TX_TYPES))
      expect(value(control({ mestyp }), []).txType).toBe(tx);
  });

  it('takes map.<MESTYP> options over the built-in map and for new message types', () => {
    const m = mapping({ map: { WMMBXY: 'receipt', ZRETURN: 'return' } });
    expect(value(control({ mestyp: 'WMMBXY' }), [], m).txType).toBe('receipt');
    expect(value(control({ mestyp: 'ZRETURN' }), [], m).txType).toBe('return');
    expect(value(control({ mestyp: 'zreturn' }), [], m).txType).toBe('return');
  });

  it('rejects an unmapped MESTYP with a message naming it and the option', () => {
    const r = computeMessage(control({ mestyp: 'ZFOO' }), [], mapping());
    expect(r.errors?.[0]).toMatch(
      /^MESTYP "ZFOO" has no txType: add the option map\.ZFOO=<txType> \(one of item_master/,
    );
  });

  it('refuses an option mapping to something that is not a txType', () => {
    expect(mappingOf({ ZFOO: 'sales' }, {}, null).error).toMatch(/^Option map\.ZFOO: "sales" is not a txType/);
  });
});
