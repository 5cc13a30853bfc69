/**
 * A CSV feed into the ledger: rows read as they stream from the file (CP932 or UTF-8), mapped to
 * events, checked with the ledger's rules, appended through the typed client in batches, and the
 * import's progress kept in a state file so that it can resume. Rows the rules or the ledger
 * refuse go to the error report; the rest is imported.
 */
import fs from 'node:fs';
import { Transform } from 'node:stream';
import { parse as parseCsv, CsvError } from 'csv-parse';
import type { BatchResult, LedgerClient, LedgerEvent } from '@ledger/client';
import { decoderStream, detectFileEncoding, type DetectedEncoding, type FeedEncoding } from './encoding.js';
import { ErrorReport } from './error-report.js';
import { fingerprint, readState, removeState, sha256, writeState, type ImportCounts, type ImportState } from './import-state.js';
import { loadMapping, MappingError, type Mapping } from './mapping.js';
import { wireProblemJa, type RowProblem } from './problems.js';
import { RowMapper } from './row-mapper.js';

/** The largest CSV record (a row, line breaks in quoted cells included) read. */
export const MAX_RECORD_BYTES = 1024 * 1024;
/** The import stops after this many problems by default: a wrong mapping should not write a million report lines. */
export const DEFAULT_MAX_PROBLEMS = 10_000;

export interface ImportOptions {
  file: string;
  mappingFile: string;
  /** Overrides the mapping's and the detected encoding. */
  encoding?: FeedEncoding;
  /** Overrides the mapping's contractId. */
  contractId?: string;
  /** Check every row, write the report, write nothing to the ledger. */
  dryRun?: boolean;
  /** Continue after the rows the state file says are done. */
  resume?: boolean;
  reportFile?: string;
  stateFile?: string;
  /** Required unless dryRun. */
  client?: LedgerClient;
  /** Batches in flight (default 2). */
  concurrency?: number;
  maxProblems?: number;
  clock?: () => number;
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  log?: (line: string) => void;
}

export interface ImportProgress extends ImportCounts {
  bytesRead: number;
  totalBytes: number;
  /** Rows read from the file so far (ahead of `rows`, which are done). */
  rowsRead: number;
  /** The row the import started after (resume). */
  resumedAfter: number;
}

export type ImportOutcome =
  /** Every row imported (or, in a dry run, valid). */
  | 'complete'
  /** Some rows refused: they are in the report, the others imported. */
  | 'refused'
  /** Stopped early (too many problems, an unreadable CSV): the report says why. */
  | 'stopped'
  /** Interrupted; --resume continues. */
  | 'interrupted';

export interface ImportResult {
  outcome: ImportOutcome;
  counts: ImportCounts;
  encoding: DetectedEncoding;
  /** The report, when anything is in it. */
  reportFile: string | null;
  problems: number;
  resumedAfter: number;
  message?: string;
}

/** A problem with the command, the files or the contract rather than with rows (exit 2). */
export class ImportSetupError extends Error {
  override name = 'ImportSetupError';
}

type Entry = { row: number; eventId: string } | { row: number; problems: RowProblem[] };

export async function importFeed(options: ImportOptions): Promise<ImportResult> {
  const log = options.log ?? (() => undefined);
  const clock = options.clock ?? Date.now;
  if (!options.dryRun && !options.client) throw new ImportSetupError('a client is needed unless --dry-run');
  if (!fs.existsSync(options.file)) throw new ImportSetupError(`no such file: ${options.file}`);
  const mapping = withContract(await loadMapping(options.mappingFile), options.contractId);
  const mappingSha = sha256(fs.readFileSync(options.mappingFile, 'utf8') + (options.contractId ?? ''));
  const detected = await detectFileEncoding(options.file);
  const chosen = options.encoding ?? mapping.encoding;
  const encoding: DetectedEncoding = chosen ? { encoding: chosen, bom: detected.bom && chosen === 'utf-8' } : detected;
  const reportFile = options.reportFile ?? `${options.file}.errors.csv`;
  const stateFile = options.stateFile ?? `${options.file}.import-state.json`;
  const input = await fingerprint(options.file);

  let state: ImportState | null = null;
  if (options.resume && !options.dryRun) {
    state = await readState(stateFile);
    if (state === null) log(`no state file ${stateFile}: starting at the first row`);
    else if (state.input.size !== input.size || state.input.mtimeMs !== input.mtimeMs || state.input.headSha256 !== input.headSha256) {
      throw new ImportSetupError(`${options.file} changed since the interrupted import (${stateFile}); import it without --resume: rows already written answer duplicate`);
    } else if (state.mappingSha256 !== mappingSha) {
      throw new ImportSetupError(`the mapping changed since the interrupted import (${stateFile}); import without --resume: rows already written answer duplicate`);
    } else {
      log(`resuming after row ${state.rowsDone + 1} (${state.rowsDone.toLocaleString('en')} data rows done)`);
    }
  }
  const resumedAfter = state?.rowsDone ?? 0;
  const counts: ImportCounts = state ? { ...state.counts } : { rows: 0, appended: 0, duplicate: 0, refusedRows: 0 };
  const report = new ErrorReport(reportFile, encoding.encoding, encoding.bom, state?.report ?? { bytes: 0, lines: 0 });
  const maxProblems = options.maxProblems ?? DEFAULT_MAX_PROBLEMS;

  let bytesRead = 0;
  let rowsRead = resumedAfter;
  const totalBytes = input.size;
  const progress = (): void => options.onProgress?.({ ...counts, bytesRead, totalBytes, rowsRead, resumedAfter });
  let stop: { outcome: 'stopped'; message: string } | null = null;

  // Rows are done in file order: an event row when its batch is acknowledged, a refused row once
  // every row before it is done. The FIFO holds the rows between the file and the acknowledgements.
  const fifo: Entry[] = [];
  let fifoHead = 0;
  let pendingProblems = 0;
  const finish = (entry: Entry, refused: RowProblem[] | null): void => {
    if ('problems' in entry) pendingProblems -= entry.problems.length;
    const problems = 'problems' in entry ? entry.problems : refused;
    if (problems) {
      report.add(problems);
      counts.refusedRows++;
    }
    counts.rows = entry.row;
  };
  const takeRefused = (): void => {
    while (fifoHead < fifo.length && 'problems' in fifo[fifoHead]!) finish(fifo[fifoHead++]!, null);
  };
  const compact = (): void => {
    if (fifoHead > 4096) {
      fifo.splice(0, fifoHead);
      fifoHead = 0;
    }
  };
  const saveState = async (): Promise<void> => {
    if (options.dryRun) return;
    await writeState(stateFile, {
      version: 1, input, mappingSha256: mappingSha, rowsDone: counts.rows,
      report: { path: reportFile, bytes: report.bytes, lines: report.problems }, counts: { ...counts },
      updatedAt: new Date(clock()).toISOString(),
    });
  };

  const source = fs.createReadStream(options.file);
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytesRead += chunk.length;
      done(null, chunk);
    },
  });
  const parser = parseCsv({
    delimiter: mapping.delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  source.pipe(counter).pipe(decoderStream(encoding.encoding)).pipe(parser);
  source.on('error', (error) => parser.destroy(error));

  let mapper: RowMapper | null = null;
  let header: string[] = [];
  let dataRow = 0;
  async function* events(): AsyncGenerator<LedgerEvent> {
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        if (!mapper) {
          header = record.map((h) => h.trim());
          const missing = RowMapper.missingColumns(mapping, header);
          if (missing.length > 0) {
            throw new MappingError(options.mappingFile, missing.map((c) => `column ${c} is not in the header of ${options.file} (it has: ${header.join(', ')})`));
          }
          mapper = new RowMapper(mapping, header);
          continue;
        }
        dataRow++;
        if (dataRow <= resumedAfter) continue;
        rowsRead = dataRow;
        if (options.signal?.aborted) return;
        const mapped = mapper.map(record, dataRow + 1, clock());
        if (mapped.event) {
          fifo.push({ row: dataRow, eventId: mapped.event.eventId });
          yield mapped.event;
        } else {
          fifo.push({ row: dataRow, problems: mapped.problems });
          pendingProblems += mapped.problems.length;
          if (report.problems + pendingProblems >= maxProblems) {
            stop = { outcome: 'stopped', message: `stopped after ${maxProblems.toLocaleString('en')} problems (--max-problems): check the mapping against the report` };
            return;
          }
        }
        if (dataRow % 500 === 0) progress();
      }
      if (!mapper) throw new ImportSetupError(`${options.file} is empty: no header row`);
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      const row = dataRow + 2;
      fifo.push({ row: dataRow + 1, problems: [{ row, column: '', value: '', ja: `CSVとして読めません: ${error.code}`, en: `not readable as CSV: ${error.message}` }] });
      stop = { outcome: 'stopped', message: `row ${row} is not readable as CSV (${error.message}); nothing after it was read` };
    } finally {
      source.destroy();
    }
  }

  try {
    if (options.dryRun) {
      for await (const _event of events()) {
        takeRefused();
        finish(fifo[fifoHead++]!, null);
        counts.appended++;
        compact();
      }
    } else {
      await options.client!.append(events(), {
        concurrency: options.concurrency ?? 2,
        refusals: 'skip',
        signal: undefined,
        onBatch: async (batch: BatchResult) => {
          const unregistered = batch.results.find((r) => r.status === 'refused' && r.code === 'LEDGER.UNKNOWN_CONTRACT');
          if (unregistered && unregistered.status === 'refused') {
            throw new ImportSetupError(`${unregistered.message}: register the contract in the ledger, then run the import again with --resume`);
          }
          batch.results.forEach((result) => {
            takeRefused();
            const entry = fifo[fifoHead++]!;
            if (result.status === 'refused') {
              finish(entry, result.problems.map((p) => ({ row: entry.row + 1, column: '', value: result.eventId, ja: wireProblemJa(p), en: p.message })));
            } else {
              finish(entry, null);
              if (result.status === 'appended') counts.appended++;
              else counts.duplicate++;
            }
          });
          takeRefused();
          compact();
          await saveState();
          progress();
        },
      });
    }
    takeRefused();
  } finally {
    report.close();
  }
  progress();
  const finalStop = stop as { outcome: 'stopped'; message: string } | null;
  const interrupted = options.signal?.aborted === true && !finalStop;
  if (!options.dryRun && !interrupted) await removeState(stateFile);
  const outcome: ImportOutcome = interrupted ? 'interrupted' : finalStop ? 'stopped' : report.problems > 0 ? 'refused' : 'complete';
  return {
    outcome, counts, encoding, resumedAfter,
    reportFile: report.problems > 0 ? reportFile : null,
    problems: report.problems,
    message: finalStop?.message,
  };
}

function withContract(mapping: Mapping, contractId: string | undefined): Mapping {
  if (contractId === undefined) return mapping;
  return { ...mapping, fields: [...mapping.fields.filter((f) => f.path !== 'contractId'), { path: 'contractId', const: contractId }] };
}
