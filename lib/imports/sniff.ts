/**
 * Telling a file's kind by its content: the first character that is not white space (a BOM aside).
 * What was read to see it is handed back in front of the rest, so the file is still read once.
 */
import type { ImportFile } from './types';

export interface Sniffed {
  /** The first character that is not white space, or '' for an empty file. */
  first: string;
  /** The same file, from its first byte. */
  file: ImportFile;
}

const SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const BOM = [0xef, 0xbb, 0xbf];

export async function sniff(file: ImportFile): Promise<Sniffed> {
  const source = file.bytes[Symbol.asyncIterator]();
  const seen: Uint8Array[] = [];
  let first = '';
  let at = 0; // bytes seen so far
  while (!first) {
    const next = await source.next();
    if (next.done) break;
    seen.push(next.value);
    for (let i = 0; i < next.value.length; i++, at++) {
      const b = next.value[i];
      if (at < 3 && b === BOM[at]) continue;
      if (SPACE.has(b)) continue;
      first = String.fromCharCode(b);
      break;
    }
  }
  return {
    first,
    file: {
      name: file.name,
      bytes: (async function* () {
        yield* seen;
        for (let next = await source.next(); !next.done; next = await source.next()) yield next.value;
      })(),
    },
  };
}
