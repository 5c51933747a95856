/**
 * The files of an import request, as they stream in: the body itself is one file, or a
 * `multipart/form-data` body holds several (field names are free; files are told apart by their
 * content). Each file is read before the next one is parsed, so nothing waits in memory.
 */
import { Readable } from 'node:stream';
import Busboy from 'busboy';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { limitBytes } from '@/lib/http/stream';
import type { ImportFile } from './types';

const LIMIT_ADVICE = 'Split the file, or raise IMPORT_MAX_BYTES.';

/** A request's query parameters as import options, without the ones the route itself reads. */
export function optionsOf(url: URL): { options: Record<string, string>; dryRun: boolean } {
  const options: Record<string, string> = {};
  let dryRun = false;
  for (const [k, v] of url.searchParams) {
    if (k === 'dryRun') dryRun = v === 'true' || v === '1';
    else if (k !== 'filename') options[k] = v;
  }
  return { options, dryRun };
}

export async function* filesOf(req: Request): AsyncGenerator<ImportFile> {
  const limit = env().IMPORT_MAX_BYTES;
  const body = limitBytes(req, limit, LIMIT_ADVICE);
  const type = req.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data/i.test(type)) {
    const url = new URL(req.url);
    const name = url.searchParams.get('filename') ?? dispositionName(req.headers.get('content-disposition')) ?? 'body';
    yield { name, bytes: body as unknown as AsyncIterable<Uint8Array> };
    return;
  }
  yield* multipartFiles(body, type);
}

function dispositionName(header: string | null): string | null {
  const m = header && /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
  return m ? decodeURIComponent(m[1]) : null;
}

/**
 * A file's bytes as busboy gives them, its failure (a body that ends inside the file) a 400 like the
 * parser's own, not an error the route would answer with a 500.
 */
async function* unbroken(stream: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of stream) yield chunk;
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('bad_request', `The multipart body is broken: ${(e as Error).message}.`);
  }
}

/** Files of a multipart body, one at a time: busboy waits while a file's stream is being read. */
async function* multipartFiles(body: ReadableStream<Uint8Array>, contentType: string): AsyncGenerator<ImportFile> {
  let parser: Busboy.Busboy;
  try {
    parser = Busboy({ headers: { 'content-type': contentType }, defParamCharset: 'utf8' });
  } catch (e) {
    throw new AppError('bad_request', `The multipart body cannot be read: ${(e as Error).message}.`);
  }
  type Event = { file: ImportFile } | { error: unknown } | { done: true };
  const queue: Event[] = [];
  let wake: (() => void) | null = null;
  const push = (e: Event) => {
    queue.push(e);
    wake?.();
  };
  parser.on('file', (_field, stream, info) =>
    push({ file: { name: info.filename || _field, bytes: unbroken(stream) } }),
  );
  parser.on('error', (e) =>
    push({ error: new AppError('bad_request', `The multipart body is broken: ${(e as Error).message}.`) }),
  );
  parser.on('close', () => push({ done: true }));
  const source = Readable.fromWeb(body as never);
  source.on('error', (e) => push({ error: e }));
  source.pipe(parser);
  let count = 0;
  for (;;) {
    while (!queue.length) await new Promise<void>((r) => (wake = r));
    const e = queue.shift()!;
    if ('error' in e) throw e.error;
    if ('done' in e) break;
    count++;
    yield e.file;
  }
  if (!count)
    throw new AppError('bad_request', 'The multipart body holds no file; attach the file or files to import.');
}
