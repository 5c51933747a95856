import { describe, expect, it } from 'vitest';
import { testDb } from '@/lib/testing/db';
import { signedInUsers } from '@/lib/testing/users';
import { answerList } from '@/lib/admin/list-route';
import { frameOrigin, tilesFrameAncestors } from '@/lib/admin/framing';
import { handler } from '@/lib/http/route';

const h = testDb();

describe('the origins that may frame the wall screen', () => {
  it('takes an http(s) origin without a path, and nothing else', () => {
    expect(frameOrigin.parse(' https://Wall.Example.com/ ')).toBe('https://wall.example.com');
    expect(frameOrigin.parse('http://10.0.0.5:8080')).toBe('http://10.0.0.5:8080');
    for (const bad of [
      'wall.example.com',
      'https://wall.example.com/tiles',
      'https://wall.example.com?x=1',
      'https://*.example.com',
      "https://a.example 'unsafe-inline'",
      'https://a.example; script-src *',
      'javascript:alert(1)',
      'ftp://a.example',
      'https://user:pw@a.example',
      '',
    ])
      expect(frameOrigin.safeParse(bad).success, bad).toBe(false);
  });

  it('an admin adds and removes them through the list API; the proxy reads what is stored', async () => {
    const { admin, it: itUser } = await signedInUsers(h.db);
    const api = handler((req: Request) => answerList(req.method as 'GET', req, 'wall-framing', admin));
    const send = (method: string, body?: unknown, query = '') =>
      api(
        new Request(`http://test/api/admin/wall-framing${query}`, {
          method,
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      );

    expect(await tilesFrameAncestors()).toEqual([]);
    const bad = await send('POST', { origin: 'https://wall.example.com/tiles' });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.details[0]).toMatch(/^origin: must be an http:\/\/ or https:\/\/ origin/);
    expect((await send('POST', { origin: 'https://wall.example.com' })).status).toBe(201);
    expect((await send('POST', { origin: 'https://wall.example.com/' })).status).toBe(200);
    expect((await send('POST', { origin: 'http://signage.local:8080' })).status).toBe(201);
    expect(await (await send('GET')).json()).toEqual({
      origins: [{ origin: 'https://wall.example.com' }, { origin: 'http://signage.local:8080' }],
    });
    expect(await tilesFrameAncestors()).toEqual(['https://wall.example.com', 'http://signage.local:8080']);

    const del = await send('DELETE', undefined, '?origin=https%3A%2F%2Fwall.example.com');
    expect(del.status).toBe(200);
    expect(await tilesFrameAncestors()).toEqual(['http://signage.local:8080']);

    const refused = await handler((req: Request) => answerList('POST', req, 'wall-framing', itUser))(
      new Request('http://test/api/admin/wall-framing', { method: 'POST', body: '{"origin":"https://x.example"}' }),
    );
    expect(refused.status).toBe(403);
  });
});
