/**
 * The address a request's TCP connection came from, for the few decisions that must not trust
 * what the client writes (the internal CLI routes answer loopback only).
 *
 * A Next.js 16 route handler gets a web `Request`: no `req.ip`, no socket. Next's server does add
 * `x-forwarded-for` from the socket, but only when the request has none (`??=` in base-server.js),
 * so any client can send `x-forwarded-for: 127.0.0.1` and be believed. So the server notes the
 * socket's address itself, in a header of its own, on Node's `request` event before Next reads
 * the request, overwriting whatever the client sent under that name: `notePeerAddresses()`,
 * installed once in the server process (lib/cli/token.ts `issueCliToken`, which the server's start
 * hook calls). Without it (another host process, a request that arrived before the start hook ran)
 * the header is absent and `peerAddress` answers null: the careful answer.
 */
import http from 'node:http';

export const PEER_HEADER = 'x-sync-health-peer';

const g = globalThis as unknown as { __syncHealthPeerNoted?: boolean };

/** From now on, every HTTP request this process serves carries its socket's address in PEER_HEADER. */
export function notePeerAddresses(): void {
  if (g.__syncHealthPeerNoted) return;
  g.__syncHealthPeerNoted = true;
  const emit = http.Server.prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const req = args[0] as http.IncomingMessage;
      req.headers[PEER_HEADER] = req.socket?.remoteAddress ?? '';
    }
    return emit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
}

/** The socket address the server noted for `req`, or null when it noted none. */
export function peerAddress(req: Request): string | null {
  return req.headers.get(PEER_HEADER) || null;
}

/** 127.0.0.0/8, ::1, and IPv4 loopback written as IPv6 (`::ffff:127.0.0.1`). */
export function isLoopback(address: string | null): boolean {
  if (!address) return false;
  const v4 = address.replace(/^::ffff:/i, '');
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}
