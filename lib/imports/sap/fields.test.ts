import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { controlFact, statusFact, tableOf } from './fields';
import { ZoneClock, sapDate, sapTime } from './sap-time';

const utc = new ZoneClock('UTC');
const iso = (ms: number) => new Date(ms).toISOString();

describe('SAP dates and times', () => {
  it('read DATS and TIMS, and the forms a list shows', () => {
    expect(iso(sapDate('20261120')!)).toBe('2026-11-20T00:00:00.000Z');
    expect(sapDate('2026-11-20')).toBe(sapDate('20261120'));
    expect(sapDate('20.11.2026')).toBe(sapDate('20261120'));
    expect(sapDate('20240229')).not.toBeNaN();
    expect(sapTime('235959')).toBe(((23 * 60 + 59) * 60 + 59) * 1000);
    expect(sapTime('23:59:59')).toBe(sapTime('235959'));
    expect(sapTime('')).toBe(0);
  });

  it('take an empty date or the initial 00000000 as no date', () => {
    expect(sapDate('')).toBeNull();
    expect(sapDate('00000000')).toBeNull();
  });

  it.each(['20201332', '20230229', '20261200', '2026112', '11/20/2026', 'abcdefgh'])('refuse the date %s', (d) => {
    expect(sapDate(d)).toBeNaN();
  });

  it.each(['240000', '126000', '120060', '1200', 'noon'])('refuse the time %s', (t) => {
    expect(sapTime(t)).toBeNaN();
  });

  it('read wall-clock time in an IANA zone, summer and winter, across a skipped and a repeated hour', () => {
    const berlin = new ZoneClock('Europe/Berlin');
    expect(iso(berlin.instant(Date.UTC(2026, 10, 20, 10, 0)))).toBe('2026-11-20T09:00:00.000Z');
    expect(iso(berlin.instant(Date.UTC(2026, 6, 1, 10, 0)))).toBe('2026-07-01T08:00:00.000Z');
    // 2026-03-29 02:30 does not exist in Berlin: moved forward by the hour (03:30 CEST).
    expect(iso(berlin.instant(Date.UTC(2026, 2, 29, 2, 30)))).toBe('2026-03-29T01:30:00.000Z');
    // 2026-10-25 02:30 happens twice: one of the two instants.
    expect(['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z']).toContain(
      iso(berlin.instant(Date.UTC(2026, 9, 25, 2, 30))),
    );
    const ny = new ZoneClock('America/New_York');
    expect(iso(ny.instant(Date.UTC(2026, 0, 15, 8, 0)))).toBe('2026-01-15T13:00:00.000Z');
    expect(iso(new ZoneClock('Asia/Kolkata').instant(Date.UTC(2026, 0, 15, 8, 0)))).toBe('2026-01-15T02:30:00.000Z');
  });

  it('refuse a time zone that is not an IANA name', () => {
    expect(() => new ZoneClock('Mars/Olympus')).toThrow(/Option timezone: "Mars\/Olympus" is not an IANA time zone/);
  });
});

describe('headers', () => {
  const fail = (names: string[], delimiter = '\t') => {
    try {
      tableOf('f.txt', names, delimiter);
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('bad_request');
      return (e as AppError).message;
    }
    throw new Error('no error');
  };

  it('tell EDIDS by COUNTR, even with the control fields it also has', () => {
    expect(tableOf('f', ['DOCNUM', 'COUNTR', 'CREDAT', 'CRETIM', 'STATUS', 'LOGDAT', 'LOGTIM'], '\t')).toBe('EDIDS');
    expect(tableOf('f', ['MANDT', 'DOCNUM', 'MESTYP', 'STATUS', 'CREDAT', 'CRETIM'], '\t')).toBe('EDIDC');
  });

  it('name what was found and what is expected when no field is known', () => {
    expect(fail(['IDoc number', 'Message type', 'Status'])).toBe(
      'f.txt: the header names no SAP IDoc table (found: IDoc number, Message type, Status). Expected the field names ' +
        'of EDIDC (DOCNUM, MESTYP, STATUS, CREDAT, CRETIM, …) or of EDIDS (DOCNUM, COUNTR, STATUS, LOGDAT, LOGTIM, …).',
    );
  });

  it('catch header cells that run together (another delimiter)', () => {
    expect(fail(['DOCNUM MESTYP STATUS', 'CREDAT'], ',')).toMatch(
      /the header cell "DOCNUM MESTYP STATUS" holds several SAP field names \(DOCNUM, MESTYP, STATUS\): the fields run together.*read as comma/,
    );
  });

  it('name the required fields a file lacks', () => {
    expect(fail(['DOCNUM', 'COUNTR', 'STATUS'])).toBe(
      'f.txt: an EDIDS file (status records) needs the fields LOGDAT, LOGTIM in its header.',
    );
  });
});

describe('rows', () => {
  it('keep DOCNUM as written and pad a one-digit status', () => {
    const r = controlFact(
      { DOCNUM: '0000000000000042', MESTYP: 'WMMBXY', STATUS: '3', CREDAT: '20261120', CRETIM: '100000' },
      'raw',
      utc,
    );
    expect(r.fact).toMatchObject({ docnum: '0000000000000042', status: '03', updatedMs: null });
  });

  it('reject a row with a date that does not exist, naming the field and the value', () => {
    const c = controlFact(
      {
        DOCNUM: '1',
        MESTYP: 'X',
        STATUS: '30',
        CREDAT: '20201332',
        CRETIM: '100000',
        UPDDAT: '20261120',
        UPDTIM: '99',
      },
      'raw',
      utc,
    );
    expect(c.errors).toEqual(['CREDAT "20201332" is not a date (YYYYMMDD)', 'UPDTIM "99" is not a time (HHMMSS)']);
    const s = statusFact({ DOCNUM: '1', COUNTR: 'x', STATUS: '5x', LOGDAT: '20261120', LOGTIM: '250000' }, 'raw', utc, {
      file: 'f',
      row: 1,
    });
    expect(s.errors).toEqual([
      'COUNTR "x" is not a counter (a whole number)',
      'STATUS "5x" is not an IDoc status (two digits)',
      'LOGTIM "250000" is not a time (HHMMSS)',
    ]);
  });
});
