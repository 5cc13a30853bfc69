import { isUtf8 } from 'node:buffer';
import { MAX_JSON_DEPTH, nestingExceeds } from '@ledger/wire';
import { InvalidUtf8Error, JsonTooDeepError, MalformedJsonError } from './ledger-exception.filter.js';

/**
 * A request body as JSON, the one way every JSON body is read (application/json here; a
 * line-delimited body line by line): the bytes must be UTF-8 (never read with U+FFFD in place of
 * what was sent), nesting deeper than MAX_JSON_DEPTH is refused by a scan of the bytes before
 * JSON.parse recurses into it, and malformed JSON is a 400 with its code, never a 500.
 */
export function parseJsonBody(bytes: Buffer): unknown {
  if (!isUtf8(bytes)) throw new InvalidUtf8Error('the body is not valid UTF-8 (send the JSON in UTF-8)');
  if (nestingExceeds(bytes, MAX_JSON_DEPTH)) {
    throw new JsonTooDeepError(`the body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels; no submission needs more than 5`);
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new MalformedJsonError(`the body is not valid JSON: ${(error as Error).message}`);
  }
}
