import { describe, expect, it } from 'vitest';
import { rejectsWithAppError } from '@/lib/testing/errors';
import { memoryFile } from './collect';
import { detectDelimiter, readDelimited, readJson, textOf, type DelimitedHeader, type DelimitedRow } from './read';
import type { ImportFile } from './types';

/** A file arriving in chunks of `size` bytes (a multi-byte character may be cut between two). */
const fileOf = (content: string | Uint8Array, size = 7, name = 'f.txt') => memoryFile(name, content, size);

async function readAll(file: ImportFile, opts?: Parameters<typeof readDelimited>[1]) {
  const out: (DelimitedHeader | DelimitedRow)[] = [];
  for await (const x of readDelimited(file, opts)) out.push(x);
  const [header, ...rows] = out as [DelimitedHeader, ...DelimitedRow[]];
  return { header, rows };
}

describe('delimited text', () => {
  it('detects tab, pipe, semicolon and comma from the header, quotes aside', () => {
    expect(detectDelimiter('DOCNUM\tSTATUS\tMESTYP')).toBe('\t');
    expect(detectDelimiter('|DOCNUM|STATUS|')).toBe('|');
    expect(detectDelimiter('DOCNUM;STATUS;"A,B"')).toBe(';');
    expect(detectDelimiter('DOCNUM,STATUS')).toBe(',');
    expect(detectDelimiter('DOCNUM STATUS')).toBeNull();
  });

  it('reads SAP list output: rules of dashes skipped, edge pipes dropped, cells trimmed', async () => {
    const text = [
      '-----------------------------',
      '| DOCNUM           | STATUS |',
      '|------------------+--------|',
      '| 0000000000004711 | 51     |',
      '| 0000000000004712 | 53     |',
      '-----------------------------',
      '',
    ].join('\n');
    const { header, rows } = await readAll(fileOf(text, 5));
    expect(header).toEqual({ delimiter: '|', names: ['DOCNUM', 'STATUS'] });
    expect(rows.map((r) => [r.row, r.cells])).toEqual([
      [1, { DOCNUM: '0000000000004711', STATUS: '51' }],
      [2, { DOCNUM: '0000000000004712', STATUS: '53' }],
    ]);
  });

  it('keeps quoted delimiters and line breaks, CRLF lines and a BOM', async () => {
    const text = '\uFEFFuuid;exc_info\r\n"a";"x;y"\r\n"b";"line 1\nline 2"\r\n';
    const { header, rows } = await readAll(fileOf(text, 3), { headerCase: 'lower' });
    expect(header.names).toEqual(['uuid', 'exc_info']);
    expect(rows.map((r) => r.cells)).toEqual([
      { uuid: 'a', exc_info: 'x;y' },
      { uuid: 'b', exc_info: 'line 1\nline 2' },
    ]);
  });

  it('upper-cases header names when asked, and counts each row’s cells', async () => {
    const { header, rows } = await readAll(fileOf('docnum,Status\n1,2,3\n4\n'), { headerCase: 'upper' });
    expect(header.names).toEqual(['DOCNUM', 'STATUS']);
    expect(rows.map((r) => [r.width, r.cells])).toEqual([
      [3, { DOCNUM: '1', STATUS: '2' }],
      [1, { DOCNUM: '4' }],
    ]);
  });

  it('refuses an empty file, a file of rules only, and a header without a delimiter', async () => {
    expect((await rejectsWithAppError(readAll(fileOf('')))).message).toMatch(/empty/);
    expect((await rejectsWithAppError(readAll(fileOf('\n\n-----\n')))).message).toMatch(/empty/);
    const e = await rejectsWithAppError(readAll(fileOf('DOCNUM STATUS\n1 2\n')));
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/no tab, pipe, semicolon or comma/);
  });
});

describe('text', () => {
  it('decodes UTF-8 cut anywhere between chunks', async () => {
    const parts: string[] = [];
    for await (const t of textOf(fileOf('Grüße aus Köln — 東京', 1))) parts.push(t);
    expect(parts.join('')).toBe('Grüße aus Köln — 東京');
  });

  it('refuses binary garbage and text that is not UTF-8, naming the file', async () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]);
    const drain = async (f: ImportFile) => {
      for await (const _ of textOf(f));
    };
    expect((await rejectsWithAppError(drain(fileOf(zip, 8, 'export.zip')))).message).toMatch(
      /export\.zip: this is not a text file/,
    );
    const latin1 = new Uint8Array([0x4b, 0xf6, 0x6c, 0x6e, 0x0a]); // "Köln" in Latin-1
    expect((await rejectsWithAppError(drain(fileOf(latin1, 8)))).message).toMatch(/not a text file|not valid UTF-8/);
  });

  it('parses a JSON document whole, or says where it is broken', async () => {
    expect(await readJson(fileOf('[{"a":1}]'))).toEqual([{ a: 1 }]);
    const e = await rejectsWithAppError(readJson(fileOf('[{"a":1}', 3, 'errors.json')));
    expect(e.code).toBe('invalid_json');
    expect(e.message).toMatch(/^errors\.json: not valid JSON/);
    expect((await rejectsWithAppError(readJson(fileOf('  ')))).message).toMatch(/empty/);
  });
});
