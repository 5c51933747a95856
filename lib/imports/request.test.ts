import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { filesOf } from '@/lib/imports/request';

/** Reads every file of a request to its end, as an import does. */
async function readAll(req: Request) {
  for await (const f of filesOf(req)) for await (const chunk of f.bytes) void chunk;
}

describe('multipart import bodies', () => {
  it('a body that ends inside a file is a 400, not an error the route answers with a 500', async () => {
    const body =
      '--Lo\r\ncontent-disposition: form-data; name="file"; filename="edids.csv"\r\n\r\nDOCNUM;STATUS\r\n1;51';
    const req = new Request('http://localhost/api/v1/imports/sap-idoc-status', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=Lo' },
      body,
    });
    const e = await readAll(req).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ code: 'bad_request', message: expect.stringContaining('The multipart body is broken') });
  });
});
