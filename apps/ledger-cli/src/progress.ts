/**
 * Progress of a long job on a terminal: one line rewritten in place on a TTY, a line every few
 * seconds otherwise (CI logs), always with done/total, rate and an ETA.
 */
export class Progress {
  private readonly started = Date.now();
  private lastPrint = 0;
  private done = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream | NodeJS.WritableStream = process.stderr,
    private readonly startAt = 0,
  ) {
    this.done = startAt;
  }

  update(done: number): void {
    this.done = done;
    const now = Date.now();
    const tty = (this.stream as NodeJS.WriteStream).isTTY === true;
    if (now - this.lastPrint < (tty ? 200 : 5_000)) return;
    this.lastPrint = now;
    this.print(tty ? '\r' : '', tty ? '' : '\n');
  }

  finish(message?: string): void {
    const tty = (this.stream as NodeJS.WriteStream).isTTY === true;
    this.print(tty ? '\r' : '', '\n');
    if (message) this.stream.write(`${message}\n`);
  }

  private print(prefix: string, suffix: string): void {
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const rate = (this.done - this.startAt) / seconds;
    const left = this.total > this.done && rate > 0 ? Math.round((this.total - this.done) / rate) : 0;
    const pct = this.total > 0 ? ((100 * this.done) / this.total).toFixed(1) : '100.0';
    this.stream.write(
      `${prefix}${this.label}: ${this.done.toLocaleString('en')}/${this.total.toLocaleString('en')} (${pct}%) ` +
        `${Math.round(rate).toLocaleString('en')}/s${left > 0 ? `, ~${left}s left` : ''}   ${suffix}`,
    );
  }
}
