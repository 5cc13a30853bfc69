/**
 * How an import shows its progress: a bar with rows, events/s and the time left on a terminal
 * (cli-progress), a plain line every few seconds in a log.
 */
import { SingleBar } from 'cli-progress';
import type { ImportProgress } from './import-feed.js';

export interface ProgressView {
  update(progress: ImportProgress): void;
  stop(): void;
}

const PLAIN_EVERY_MS = 5_000;

export function progressView(stream: NodeJS.WriteStream, label: string): ProgressView {
  const started = Date.now();
  let startRows = -1;
  const rate = (p: ImportProgress): number => {
    if (startRows < 0) startRows = p.resumedAfter;
    return (p.rows - startRows) / Math.max((Date.now() - started) / 1000, 0.001);
  };
  const eta = (p: ImportProgress): string => {
    const fraction = p.totalBytes > 0 ? p.bytesRead / p.totalBytes : 1;
    const elapsed = (Date.now() - started) / 1000;
    if (fraction <= 0 || fraction >= 1) return '0s';
    return duration((elapsed / fraction) * (1 - fraction));
  };
  if (stream.isTTY) {
    const bar = new SingleBar({
      stream,
      format: `${label} {bar} {percentage}% | {rows} rows | {rate} events/s | ETA {left} | {refused} refused`,
      barsize: 24,
      hideCursor: false,
      clearOnComplete: false,
      etaBuffer: 50,
    });
    let begun = false;
    return {
      update(p) {
        const payload = { rows: p.rows.toLocaleString('en'), rate: Math.round(rate(p)).toLocaleString('en'), left: eta(p), refused: p.refusedRows.toLocaleString('en') };
        if (!begun) {
          bar.start(Math.max(p.totalBytes, 1), p.bytesRead, payload);
          begun = true;
        } else bar.update(p.bytesRead, payload);
      },
      stop() {
        if (begun) bar.stop();
      },
    };
  }
  let last = Date.now();
  let latest: ImportProgress | null = null;
  let printed: ImportProgress | null = null;
  const line = (p: ImportProgress): void => {
    const pct = p.totalBytes > 0 ? ((100 * p.bytesRead) / p.totalBytes).toFixed(1) : '100.0';
    stream.write(`${label}: ${p.rows.toLocaleString('en')} rows done (${pct}% of the file), ${Math.round(rate(p)).toLocaleString('en')} events/s, ~${eta(p)} left, ${p.refusedRows.toLocaleString('en')} refused\n`);
  };
  return {
    update(p) {
      latest = p;
      if (Date.now() - last < PLAIN_EVERY_MS) return;
      last = Date.now();
      printed = p;
      line(p);
    },
    stop() {
      if (latest && latest !== printed) line(latest);
    },
  };
}

function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
