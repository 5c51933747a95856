/**
 * Real receivers for notification tests: an HTTP server on a free local port that keeps every
 * request (headers, raw body) and answers as the test says, and an SMTP server (the smtp-server
 * package) that keeps every message it accepts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpReceiver {
  url: string;
  received: Received[];
  /** How to answer the nth request (0-based): a status, after an optional delay. */
  answer: (r: Received, n: number) => number | { status: number; delayMs?: number; body?: string };
  close(): Promise<void>;
}

export async function httpReceiver(answer: HttpReceiver['answer'] = () => 200): Promise<HttpReceiver> {
  const r: HttpReceiver = { url: '', received: [], answer, close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got: Received = {
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const n = r.received.length;
      r.received.push(got);
      const a = r.answer(got, n);
      const { status, delayMs = 0, body = '' } = typeof a === 'number' ? { status: a } : a;
      setTimeout(() => res.writeHead(status, { 'content-type': 'text/plain' }).end(body), delayMs);
    });
  });
  server.keepAliveTimeout = 500;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  r.close = () =>
    new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    });
  return r;
}

export interface Mail {
  from: string;
  to: string[];
  raw: string;
  /** The raw message with quoted-printable undone (soft line breaks joined, =XX decoded). */
  text: string;
}

const decodeQuotedPrintable = (raw: string) =>
  Buffer.from(
    raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');

export interface SmtpReceiver {
  port: number;
  url: string;
  mails: Mail[];
  close(): Promise<void>;
}

/**
 * An SMTP server on `port` (0: a free one), plain (no STARTTLS), any sender and recipient; with
 * `auth`, only that user and password may send.
 */
export async function smtpReceiver(
  port = 0,
  mails: Mail[] = [],
  auth?: { user: string; pass: string },
): Promise<SmtpReceiver> {
  const server = new SMTPServer({
    authOptional: !auth,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(a, _session, done) {
      if (auth && a.username === auth.user && a.password === auth.pass) done(null, { user: a.username });
      else done(new Error('Invalid username or password'));
    },
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((t) => t.address),
          raw,
          text: decodeQuotedPrintable(raw),
        });
        done();
      });
    },
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok());
  });
  const bound = (server.server.address() as AddressInfo).port;
  return {
    port: bound,
    url: `smtp://127.0.0.1:${bound}`,
    mails,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
