import { AppError } from '@/lib/errors';

/**
 * The request body as a stream that fails with 413 once it passes `limit` bytes (at once when the
 * declared Content-Length already does); no body reads as empty. `advice` ends the error message.
 */
export function limitBytes(req: Request, limit: number, advice = ''): ReadableStream<Uint8Array> {
  const tail = advice ? ` ${advice}` : '';
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    throw new AppError('payload_too_large', `The body is ${declared} bytes; at most ${limit} are accepted per request.${tail}`);
  }
  let seen = 0;
  const body = req.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(new AppError('payload_too_large', `The body exceeds ${limit} bytes.${tail}`));
        else controller.enqueue(chunk);
      },
    }),
  );
}
