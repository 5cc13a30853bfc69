import { TILE_WIDTH, tileKey, type TileReader, type TileRequest } from '@ledger/integrity';

interface Waiting {
  requests: readonly TileRequest[];
  resolve: (tiles: Map<string, Buffer[]>) => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces the readTiles calls made in one turn of the event loop into one call to the store,
 * and keeps full tiles (which never change) in a bounded cache. Start many proofs at once
 * (`Promise.all`) and they cost one database round trip instead of one each.
 */
export class CoalescingTileReader implements TileReader {
  private waiting: Waiting[] = [];
  private scheduled = false;
  private readonly fullTiles = new Map<string, Buffer[]>();

  constructor(
    private readonly inner: TileReader,
    private readonly maxCachedTiles = 4_096,
  ) {}

  readTiles(requests: readonly TileRequest[]): Promise<Map<string, Buffer[]>> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ requests, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    this.scheduled = false;
    const merged = new Map<string, TileRequest>();
    for (const { requests } of batch) {
      for (const request of requests) {
        const key = tileKey(request.level, request.index);
        if (this.fullTiles.has(key)) continue;
        const width = Math.max(request.width, merged.get(key)?.width ?? 0);
        merged.set(key, { level: request.level, index: request.index, width });
      }
    }
    let fetched: Map<string, Buffer[]>;
    try {
      fetched = merged.size > 0 ? await this.inner.readTiles([...merged.values()]) : new Map();
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
      return;
    }
    for (const [key, hashes] of fetched) {
      if (hashes.length === TILE_WIDTH) this.remember(key, hashes);
    }
    for (const waiter of batch) {
      const answer = new Map<string, Buffer[]>();
      for (const { level, index } of waiter.requests) {
        const key = tileKey(level, index);
        const hashes = this.fullTiles.get(key) ?? fetched.get(key);
        if (hashes !== undefined) answer.set(key, hashes);
      }
      waiter.resolve(answer);
    }
  }

  private remember(key: string, hashes: Buffer[]): void {
    if (this.fullTiles.size >= this.maxCachedTiles) {
      const oldest = this.fullTiles.keys().next().value;
      if (oldest !== undefined) this.fullTiles.delete(oldest);
    }
    this.fullTiles.set(key, hashes);
  }
}
