import net from 'node:net';

/**
 * A loopback TCP proxy standing in for the load balancer in front of a cluster: one origin for the
 * browsers, several nodes behind it. Each new connection goes to the preferred node if it accepts
 * connections, else to the next one that does (so a killed node's clients land on a live one).
 * Byte-level, so HTTP keep-alive and WebSocket upgrades pass through untouched.
 */
export interface TcpProxy {
  port: number;
  url: string;
  /** Sends new connections to this upstream port first. */
  prefer(port: number): void;
  /**
   * The network goes silent: no byte passes either way, nothing is closed (no FIN, no RST), and new
   * connections hang. Only a heartbeat notices, as on a real cut network.
   */
  blackhole(): void;
  /** The network comes back: new connections pass again (the silenced ones stay dead). */
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(upstreams: number[]): Promise<TcpProxy> {
  let preferred = upstreams[0]!;
  let silent = false;
  const sockets = new Set<net.Socket>();
  const pairs = new Set<[net.Socket, net.Socket]>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };

  const connectUpstream = (order: number[]): Promise<net.Socket> =>
    new Promise((resolve, reject) => {
      const [port, ...rest] = order;
      if (port === undefined) return reject(new Error('no upstream accepts connections'));
      const up = net.connect({ port, host: '127.0.0.1' });
      up.once('connect', () => resolve(up));
      up.once('error', () => {
        up.destroy();
        connectUpstream(rest).then(resolve, reject);
      });
    });

  const server = net.createServer((client) => {
    track(client);
    client.pause();
    if (silent) return;
    const order = [preferred, ...upstreams.filter((p) => p !== preferred)];
    connectUpstream(order).then(
      (up) => {
        track(up);
        const pair: [net.Socket, net.Socket] = [client, up];
        pairs.add(pair);
        up.on('close', () => pairs.delete(pair));
        client.pipe(up).pipe(client);
        client.on('close', () => up.destroy());
        up.on('close', () => client.destroy());
        client.resume();
      },
      () => client.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    prefer: (p) => {
      preferred = p;
    },
    blackhole: () => {
      silent = true;
      for (const [client, up] of pairs) {
        client.unpipe(up);
        up.unpipe(client);
        client.pause();
        up.pause();
      }
      pairs.clear();
    },
    restore: () => {
      silent = false;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
