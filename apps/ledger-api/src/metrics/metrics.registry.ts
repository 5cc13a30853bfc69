import { Injectable } from '@nestjs/common';

/**
 * Counters of this process for `GET /metrics` (Prometheus text exposition format 0.0.4). Labels
 * never carry IDs (contract, record, worker): routes are their patterns, so nothing of the
 * ledger's content leaves through the metrics.
 */
@Injectable()
export class MetricsRegistry {
  eventsAppended = 0;
  eventsDuplicate = 0;
  appendBatches = 0;
  accessLogWritten = 0;
  accessLogFailures = 0;
  private readonly requests = new Map<string, { method: string; route: string; status: number; count: number }>();

  countRequest(method: string, route: string, status: number): void {
    const key = `${method} ${route} ${status}`;
    const entry = this.requests.get(key);
    if (entry) entry.count += 1;
    else this.requests.set(key, { method, route, status, count: 1 });
  }

  requestCounts(): ReadonlyArray<{ method: string; route: string; status: number; count: number }> {
    return [...this.requests.values()];
  }
}

/** Builds the exposition text: one HELP/TYPE block per metric family. */
export class Exposition {
  private readonly lines: string[] = [];

  family(name: string, type: 'counter' | 'gauge', help: string, samples: ReadonlyArray<{ labels?: Record<string, string | number>; value: number }>): this {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const { labels, value } of samples) {
      const text = labels && Object.keys(labels).length > 0
        ? `{${Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(String(v))}"`).join(',')}}`
        : '';
      this.lines.push(`${name}${text} ${Number.isFinite(value) ? value : 'NaN'}`);
    }
    return this;
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
