import fs from 'node:fs';
import { EVENT_TYPES } from '@ledger/domain';
import { GENERATED_FILE, generateClientTypes } from './generate-client-types.js';

describe('the client\'s generated contract types', () => {
  it('are current: regenerating from the catalogue and the answer types gives the committed file (else: npm run generate:client)', () => {
    expect(generateClientTypes()).toBe(fs.readFileSync(GENERATED_FILE, 'utf8'));
  });

  it('carry every event type of the catalogue', () => {
    const text = fs.readFileSync(GENERATED_FILE, 'utf8');
    for (const type of EVENT_TYPES) expect(text).toContain(`  ${type}: {`);
  });
});
