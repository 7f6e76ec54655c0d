import net from 'node:net';

/**
 * Writes `request` as-is on a fresh TCP connection and returns everything the server sent back
 * before it closed the connection (or `timeoutMs` passed).
 */
export function rawRequest(port: number, request: string | Buffer, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(received);
    };
    const timer = setTimeout(done, timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', done);
    socket.write(request);
  });
}

/** `HTTP/1.1 400 Bad Request` → 400 (0 when the server sent nothing parseable). */
export function statusOf(response: string): number {
  return Number(/^HTTP\/1\.[01] (\d{3})/.exec(response)?.[1] ?? 0);
}

/** A raw HTTP/1.1 response split into status, lowercased headers and body. */
export function parseRawResponse(raw: string): {
  status: number;
  headers: Map<string, string>;
  body: string;
} {
  const end = raw.indexOf('\r\n\r\n');
  const [, ...lines] = raw.slice(0, end < 0 ? raw.length : end).split('\r\n');
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { status: statusOf(raw), headers, body: end < 0 ? '' : raw.slice(end + 4) };
}
