import { expect } from 'vitest';
import { AppError } from '@/lib/errors';

/** The AppError `promise` rejects with; the test fails when it resolves or rejects with anything else. */
export async function rejectsWithAppError(promise: Promise<unknown>): Promise<AppError> {
  const e = await promise.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}
