import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { csvCell, csvResponse } from '@/lib/http/csv';

describe('csvCell', () => {
  // OWASP's CSV injection list, and what a message field from outside may carry.
  it.each([
    ['=1+1', "'=1+1"],
    ['+1+1', "'+1+1"],
    ["-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
    ['-2+3', "'-2+3"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['\n=1', "'\n=1"],
    ['=HYPERLINK("http://evil.example")\nsecond line', '\'=HYPERLINK("http://evil.example")\nsecond line'],
    ['\uFF1D1+1', "'\uFF1D1+1"],
    ['plain text', 'plain text'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('text %j is written %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('writes numbers, booleans and nothing as they are', () => {
    expect(csvCell(-5)).toBe(-5);
    expect(csvCell(0.25)).toBe(0.25);
    expect(csvCell(-12n)).toBe('-12');
    expect(csvCell(false)).toBe(false);
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('keeps a numeric column written as text a number, and neutralises anything else in it', () => {
    expect(csvCell('-5', true)).toBe('-5');
    expect(csvCell('-12.500', true)).toBe('-12.500');
    expect(csvCell('123456789012345678901234.5', true)).toBe('123456789012345678901234.5');
    expect(csvCell('-1e3', true)).toBe('-1e3');
    expect(csvCell('-2+3', true)).toBe("'-2+3");
    expect(csvCell('=1', true)).toBe("'=1");
  });

  it('joins lists and writes objects as JSON, neutralised the same way', () => {
    expect(csvCell(['-1+1', 'b'])).toBe("'-1+1 b");
    expect(csvCell({ a: 1 })).toBe('{"a":1}');
  });
});

describe('csvResponse', () => {
  it('streams rows in which formulas are text and numbers stay numbers', async () => {
    type Row = { id: number; note: string | null; quantity: string | null };
    const rows: Row[] = [
      { id: 1, note: "-2+3+cmd|' /C calc'!A0", quantity: '-5' },
      { id: -2, note: '=1+1\nx', quantity: '-2+3' },
      { id: 3, note: null, quantity: null },
    ];
    const res = csvResponse<Row>(
      'x.csv',
      [
        { key: 'id', header: 'id' },
        { key: 'note', header: 'note' },
        { key: 'quantity', header: 'quantity', numeric: true },
      ],
      (async function* () {
        yield rows;
      })(),
    );
    const text = await res.text();
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toEqual([
      { id: '1', note: "'-2+3+cmd|' /C calc'!A0", quantity: '-5' },
      { id: '-2', note: "'=1+1\nx", quantity: "'-2+3" },
      { id: '3', note: '', quantity: '' },
    ]);
  });
});
