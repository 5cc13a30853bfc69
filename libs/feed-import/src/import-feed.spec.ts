import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { EXAMPLE_LOG_OPTIONS, operationLogRows } from './example/operation-log.js';
import { writeOperationLogCsv } from './example/write-operation-log.js';
import { detectEncoding } from './encoding.js';
import { importFeed } from './import-feed.js';
import { REPORT_HEADER } from './problems.js';

const MAPPING = path.resolve('examples/operation-log/mapping.yaml');
const EXAMPLE = path.resolve('examples/operation-log/operation-log.csv');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-import-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A CSV file from rows of cells (the example's header), in an encoding, with CRLF. */
function csvFile(name: string, rows: string[][], encoding: 'cp932' | 'utf-8', bom = false): string {
  const text = rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';
  const bytes = encoding === 'cp932' ? iconv.encode(text, 'cp932') : Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

const exampleRows = (): string[][] => [...operationLogRows(EXAMPLE_LOG_OPTIONS)];

function readReport(file: string, encoding: 'cp932' | 'utf-8'): string[][] {
  const bytes = fs.readFileSync(file);
  const text = encoding === 'cp932' ? iconv.decode(bytes, 'cp932') : bytes.toString('utf8').replace(/^\ufeff/, '');
  return parse(text) as string[][];
}

describe('the shipped example', () => {
  it('is the generator output, in CP932 with CRLF', async () => {
    const regenerated = path.join(dir, 'again.csv');
    await writeOperationLogCsv(regenerated, EXAMPLE_LOG_OPTIONS, 'cp932');
    expect(fs.readFileSync(EXAMPLE).equals(fs.readFileSync(regenerated))).toBe(true);
    expect(detectEncoding(fs.readFileSync(EXAMPLE))).toEqual({ encoding: 'cp932', bom: false });
  });

  it('passes a dry run: every row valid, no report', async () => {
    const result = await importFeed({ file: EXAMPLE, mappingFile: MAPPING, dryRun: true, reportFile: path.join(dir, 'r.csv') });
    expect(result).toEqual(expect.objectContaining({ outcome: 'complete', problems: 0, reportFile: null }));
    expect(result.counts.rows).toBe(exampleRows().length - 1);
    expect(result.counts.appended).toBe(result.counts.rows);
    expect(fs.existsSync(path.join(dir, 'r.csv'))).toBe(false);
  });
});

describe('dry run of files as they arrive', () => {
  it('reads CP932 characters outside JIS X 0208 (髙, ①), quoted cells with line breaks and CRLF', async () => {
    const rows = exampleRows().slice(0, 6);
    const remarks = rows[0]!.indexOf('備考');
    rows[1]![remarks] = '髙橋①の件\r\n二行目';
    rows[2]![remarks] = 'カンマ, と "引用符"';
    const file = csvFile('sjis.csv', rows, 'cp932');
    const result = await importFeed({ file, mappingFile: MAPPING, dryRun: true });
    expect(result).toEqual(expect.objectContaining({ outcome: 'complete', encoding: { encoding: 'cp932', bom: false } }));
    expect(result.counts.rows).toBe(5);
  });

  it('detects UTF-8 with and without a BOM', async () => {
    const rows = exampleRows().slice(0, 4);
    for (const bom of [true, false]) {
      const result = await importFeed({ file: csvFile(`utf8-${bom}.csv`, rows, 'utf-8', bom), mappingFile: MAPPING, dryRun: true });
      expect(result).toEqual(expect.objectContaining({ outcome: 'complete', encoding: { encoding: 'utf-8', bom } }));
      expect(result.counts.rows).toBe(3);
    }
  });

  it('reads 和暦 at the era boundary and refuses a date outside its era, in a report in the file\'s encoding', async () => {
    const rows = exampleRows().slice(0, 4);
    const when = rows[0]!.indexOf('操作日時');
    rows[1]![when] = '平成31年4月30日 10:00';
    rows[2]![when] = '令和元年5月1日 10:00';
    rows[3]![when] = '平成31年5月1日 10:00';
    const file = csvFile('eras.csv', rows, 'cp932');
    const report = path.join(dir, 'eras.errors.csv');
    const result = await importFeed({ file, mappingFile: MAPPING, dryRun: true, reportFile: report, clock: () => Date.parse('2026-01-01T00:00:00Z') });
    expect(result).toEqual(expect.objectContaining({ outcome: 'refused', problems: 1, reportFile: report }));
    expect(readReport(report, 'cp932')).toEqual([
      REPORT_HEADER,
      ['4', '操作日時', '平成31年5月1日 10:00', expect.stringContaining('平成の期間'), expect.stringContaining('outside the 平成 era')],
    ]);
  });

  it('names the row, column and value of every problem, wire-contract rules included, and imports nothing of those rows', async () => {
    const rows = exampleRows().slice(0, 8);
    const h = rows[0]!;
    rows[2]![h.indexOf('操作種別')] = 'コピー';
    rows[3]![h.indexOf('担当者ID')] = '岡山 太郎';
    rows[1]![h.indexOf('媒体')] = 'USB';
    const file = csvFile('bad.csv', rows, 'utf-8', true);
    const report = path.join(dir, 'bad.errors.csv');
    const result = await importFeed({ file, mappingFile: MAPPING, dryRun: true, reportFile: report });
    expect(result.outcome).toBe('refused');
    expect(result.counts).toEqual(expect.objectContaining({ rows: 7, refusedRows: 3, appended: 4 }));
    const lines = readReport(report, 'utf-8');
    expect(fs.readFileSync(report).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(lines.slice(1).map((l) => l.slice(0, 3))).toEqual([
      ['2', '媒体', 'USB'],
      ['3', '操作種別', 'コピー'],
      ['4', '担当者ID', '岡山 太郎'],
    ]);
    expect(lines[3]![3]).toContain('IDの形式');
    expect(lines[3]![4]).toContain('actor.workerId must be');
  });

  it('stops with exit-2 material when a mapped column is missing from the header', async () => {
    const rows = exampleRows().slice(0, 3).map((r) => r.slice(1));
    await expect(importFeed({ file: csvFile('nocol.csv', rows, 'utf-8'), mappingFile: MAPPING, dryRun: true })).rejects.toThrow(/column ログ番号 is not in the header/);
  });

  it('writes report text that CP932 can carry', () => {
    for (const text of REPORT_HEADER) expect(iconv.decode(iconv.encode(text, 'cp932'), 'cp932')).toBe(text);
  });
});
