import net from 'node:net';

/** What came back on a raw connection: the status line's code (0 if none), the text, whether the server closed it. */
export interface RawAnswer {
  status: number;
  text: string;
  closedByServer: boolean;
  /** Milliseconds from connecting to the server closing the connection (or to giving up). */
  elapsedMs: number;
}

export interface RawExchange {
  /** Bytes to send once connected (typically a request head, maybe part of a body). */
  send?: string | Buffer;
  /** More bytes to send, one chunk every `everyMs`, until the server answers or closes. */
  trickle?: { chunk: string | Buffer; everyMs: number; max: number };
  /** Give up (and close from this side) after this long. */
  timeoutMs: number;
}

/**
 * One HTTP exchange on a plain socket, for what fetch cannot do: send a head and stop, trickle a
 * body, stay idle. Resolves when the server closes the connection, or after `timeoutMs`.
 */
export function rawExchange(url: string, exchange: RawExchange): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(Number(port), hostname);
    let text = '';
    let timer: NodeJS.Timeout | undefined;
    let sent = 0;
    const finish = (closedByServer: boolean): void => {
      clearInterval(timer);
      clearTimeout(giveUp);
      socket.destroy();
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, text, closedByServer, elapsedMs: Date.now() - started });
    };
    const giveUp = setTimeout(() => finish(false), exchange.timeoutMs);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => finish(true));
    socket.on('connect', () => {
      if (exchange.send !== undefined) socket.write(exchange.send);
      const trickle = exchange.trickle;
      if (trickle) {
        timer = setInterval(() => {
          if (sent++ >= trickle.max || socket.destroyed || text.length > 0) return clearInterval(timer);
          socket.write(trickle.chunk);
        }, trickle.everyMs);
      }
    });
  });
}
