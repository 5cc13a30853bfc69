import { LEDGER_ERROR_CODES } from '@ledger/domain';
import { CODE_MESSAGES_JA, prefersJapanese, withJapanese } from './messages-ja.js';

describe('Japanese error messages', () => {
  it('given Accept-Language, then Japanese is chosen only when it is the most preferred language', () => {
    expect(prefersJapanese('ja')).toBe(true);
    expect(prefersJapanese('ja-JP,ja;q=0.9,en;q=0.8')).toBe(true);
    expect(prefersJapanese('en;q=0.5, ja;q=0.8')).toBe(true);
    expect(prefersJapanese('en-US,en;q=0.9,ja;q=0.8')).toBe(false);
    expect(prefersJapanese('jax')).toBe(false);
    expect(prefersJapanese(undefined)).toBe(false);
  });

  it('given an answer with problems, then the code and each translated rule gain messageJa, and the English stays', () => {
    const answer = withJapanese({
      statusCode: 400,
      code: 'LEDGER.INVALID_EVENTS',
      message: 'invalid events',
      errors: [
        { index: 0, field: 'data.name', rule: 'unknownField', message: 'data.name is not a field' },
        { index: 0, field: 'x', rule: 'someRareRule', message: 'rare' },
      ],
    });
    expect(answer.message).toBe('invalid events');
    expect(answer.messageJa).toMatch(/イベントに誤りがあります/);
    expect(answer.errors![0]).toEqual({ index: 0, field: 'data.name', rule: 'unknownField', message: 'data.name is not a field', messageJa: expect.stringMatching(/^data\.name は電文仕様にない項目です/) });
    expect(answer.errors![1]).not.toHaveProperty('messageJa');
  });

  it('has a Japanese message for every error code', () => {
    expect(LEDGER_ERROR_CODES.filter((code) => !CODE_MESSAGES_JA[code])).toEqual([]);
  });
});
