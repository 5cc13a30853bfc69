import fc from 'fast-check';
import { BatchTooLargeError, InvalidEventsError, type LedgerEvent } from '@ledger/domain';
import { parseEventSubmission } from './parse-events.js';
import { mutatedEvent, storedOutsideSchema } from './testing/mutated-events.js';

const NOW = Date.parse('2026-11-25T00:00:00Z');

/** Only the ledger's own refusals may come out: a 4xx, never anything that would be a 500. */
function outcome(body: unknown): LedgerEvent[] | 'refused' {
  try {
    return parseEventSubmission(body, NOW);
  } catch (error) {
    if (error instanceof InvalidEventsError || error instanceof BatchTooLargeError) return 'refused';
    throw error;
  }
}

describe('the event parser under random and mutated bodies (property-based)', () => {
  it('answers any JSON body with events or a refusal, never with another error', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (body) => {
      outcome(body);
    }), { numRuns: 1_000 });
  });

  it('never accepts a field outside the schema, whatever its name and level, and accepts an event only whole', () => {
    fc.assert(fc.property(mutatedEvent, (body) => {
      const result = outcome(body);
      if (result !== 'refused') {
        expect(result).toHaveLength(1);
        expect(storedOutsideSchema(result[0]!)).toEqual([]);
      }
    }), { numRuns: 2_000 });
  });

  it('refuses a whole batch when any one of its events is refused', () => {
    fc.assert(fc.property(fc.array(mutatedEvent, { minLength: 1, maxLength: 6 }), (events) => {
      const alone = events.map((e) => outcome(e) !== 'refused');
      const together = outcome({ events });
      expect(together === 'refused').toBe(!alone.every(Boolean));
    }), { numRuns: 300 });
  });
});
