/**
 * The encodings feeds arrive in: UTF-8 (with or without a BOM) and Shift_JIS as Windows writes it
 * (CP932: NEC and IBM extensions such as ①, ㈱ and 髙 included). Decoding and encoding are
 * iconv-lite's; this file only tells them apart and remembers what the sender used, so that the
 * error report goes back in the same form.
 */
import fs from 'node:fs/promises';
import iconv from 'iconv-lite';

export type FeedEncoding = 'utf-8' | 'cp932';

export interface DetectedEncoding {
  encoding: FeedEncoding;
  /** The file starts with a UTF-8 byte order mark (kept for the report). */
  bom: boolean;
}

/** How much of a file is looked at to tell UTF-8 from CP932. */
const SNIFF_BYTES = 4 * 1024 * 1024;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Names a user may give with --encoding (case-insensitive). */
export function encodingFromName(name: string): FeedEncoding | null {
  const n = name.toLowerCase().replace(/[_\s]/g, '-');
  if (['utf-8', 'utf8'].includes(n)) return 'utf-8';
  if (['cp932', 'shift-jis', 'sjis', 'shiftjis', 'windows-31j', 'ms932', 'windows-932'].includes(n)) return 'cp932';
  return null;
}

/**
 * A BOM means UTF-8. Otherwise the first non-ASCII bytes decide: valid UTF-8 is UTF-8 (Shift_JIS
 * text is almost never valid UTF-8), anything else is CP932. A file without any non-ASCII byte in
 * its first 4 MiB is read as UTF-8 (the same characters either way).
 */
export function detectEncoding(head: Buffer): DetectedEncoding {
  if (head.subarray(0, 3).equals(UTF8_BOM)) return { encoding: 'utf-8', bom: true };
  let first = -1;
  for (let i = 0; i < head.length; i++) {
    if (head[i]! >= 0x80) {
      first = i;
      break;
    }
  }
  if (first === -1) return { encoding: 'utf-8', bom: false };
  // Judge up to 64 KiB from the first non-ASCII byte, cut back to a character boundary.
  let end = Math.min(head.length, first + 65_536);
  if (end < head.length) {
    let back = end;
    while (back > first && (head[back]! & 0xc0) === 0x80) back--;
    end = back;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(first, end));
    return { encoding: 'utf-8', bom: false };
  } catch {
    return { encoding: 'cp932', bom: false };
  }
}

export async function detectFileEncoding(file: string): Promise<DetectedEncoding> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return detectEncoding(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** A transform stream from the file's bytes to text (a BOM is dropped). */
export function decoderStream(encoding: FeedEncoding): NodeJS.ReadWriteStream {
  return iconv.decodeStream(encoding === 'cp932' ? 'cp932' : 'utf8', { stripBOM: true });
}

/** Text in the sender's encoding; characters CP932 has no code for would become `?`, so none are used in what we write. */
export function encodeText(text: string, encoding: FeedEncoding): Buffer {
  return encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, 'cp932');
}

export const BOM_BYTES = UTF8_BOM;

/** The replacement character a decoder puts where bytes were not valid in the encoding. */
export const REPLACEMENT = '\ufffd';
