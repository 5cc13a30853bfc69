import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import iconv from 'iconv-lite';
import type { FeedEncoding } from '../encoding.js';
import { operationLogRows, type OperationLogOptions } from './operation-log.js';

/** Writes the operation log as a CSV file the way a Windows tool does: CRLF, CP932 by default. */
export async function writeOperationLogCsv(file: string, options: OperationLogOptions, encoding: FeedEncoding = 'cp932'): Promise<void> {
  await pipeline(
    Readable.from(operationLogRows(options)),
    stringify({ record_delimiter: '\r\n', quoted_match: /[\r\n]/ }).setEncoding('utf8'),
    iconv.encodeStream(encoding === 'cp932' ? 'cp932' : 'utf8'),
    fs.createWriteStream(file),
  );
}
