import { closestName } from './closest-name.js';
import { EVENT_TYPES } from './event-catalogue.js';

describe('closestName', () => {
  it('given a misspelt event type, then it names the type meant', () => {
    expect(closestName('RecordCopyed', EVENT_TYPES)).toBe('RecordCopied');
    expect(closestName('recordcopied', EVENT_TYPES)).toBe('RecordCopied');
    expect(closestName('TransportStart', EVENT_TYPES)).toBe('TransportStarted');
  });

  it('given a name close to none, or not a string, then it names none', () => {
    expect(closestName('Banana', EVENT_TYPES)).toBeNull();
    expect(closestName(42, EVENT_TYPES)).toBeNull();
    expect(closestName('', EVENT_TYPES)).toBeNull();
  });
});
