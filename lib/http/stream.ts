import { AppError } from '@/lib/errors';

/** The request body as a stream that fails with 413 once it passes `limit` bytes. */
export function limitBytes(req: Request, limit: number): ReadableStream<Uint8Array> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    throw new AppError('payload_too_large', `The body is ${declared} bytes; at most ${limit} are accepted.`);
  }
  let seen = 0;
  return req.body!.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(new AppError('payload_too_large', `The body exceeds ${limit} bytes.`));
        else controller.enqueue(chunk);
      },
    }),
  );
}
