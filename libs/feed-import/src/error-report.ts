/**
 * The error report: one CSV line per problem (row, column, value, Japanese, English), in the
 * encoding of the file it reports on, with CRLF line ends, so that the sender opens it in the tool
 * that made the file. Written as the import goes; on --resume cut back to what the state file says.
 */
import fs from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { BOM_BYTES, encodeText, type FeedEncoding } from './encoding.js';
import { REPORT_HEADER, type RowProblem } from './problems.js';

export class ErrorReport {
  private fd: number | null = null;
  private written: number;
  private lines: number;

  /** `bytes`/`lines`: what an interrupted import had written and acknowledged (0 for a new report). */
  constructor(
    readonly file: string,
    private readonly encoding: FeedEncoding,
    private readonly bom: boolean,
    resumeAt: { bytes: number; lines: number } = { bytes: 0, lines: 0 },
  ) {
    this.written = resumeAt.bytes;
    this.lines = resumeAt.lines;
    if (resumeAt.bytes === 0) {
      fs.rmSync(file, { force: true });
    } else {
      this.fd = fs.openSync(file, 'r+');
      fs.ftruncateSync(this.fd, resumeAt.bytes);
      fs.closeSync(this.fd);
      this.fd = fs.openSync(file, 'a');
    }
  }

  /** Problems written so far. */
  get problems(): number {
    return this.lines;
  }

  get bytes(): number {
    return this.written;
  }

  add(problems: readonly RowProblem[]): void {
    if (problems.length === 0) return;
    let text = '';
    if (this.fd === null) {
      this.fd = fs.openSync(this.file, 'w');
      if (this.bom) this.write(BOM_BYTES);
      text += this.csv([REPORT_HEADER]);
    }
    text += this.csv(problems.map((p) => [String(p.row), p.column, p.value, p.ja, p.en]));
    this.write(encodeText(text, this.encoding));
    this.lines += problems.length;
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private csv(rows: string[][]): string {
    return stringify(rows, { record_delimiter: '\r\n', quoted_match: /[\s,"]/ });
  }

  private write(bytes: Buffer): void {
    fs.writeSync(this.fd!, bytes);
    this.written += bytes.length;
  }
}
