import { exampleEvent } from './examples.js';
import { parseEvents } from './parse-events.js';
import { findPersonalData, isMyNumber, LABEL_MAX, labelProblem } from './pii-guard.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const ID = '5b0c7c1e-8a39-4d2e-9a51-0f3c1f1f6a10';

describe('the personal-data guard of free labels', () => {
  describe('My Number (12 digits whose last is the check digit of the first eleven)', () => {
    it.each(['123456789018', '987654321093', '000000000019', '314159265352'])('recognises %s', (digits) => {
      expect(isMyNumber(digits)).toBe(true);
      expect(findPersonalData(`認定調査 ${digits}`)?.rule).toBe('myNumber');
    });

    it('recognises one written in groups, with full-width digits, or with hyphens', () => {
      expect(findPersonalData('1234 5678 9018')?.rule).toBe('myNumber');
      expect(findPersonalData('１２３４５６７８９０１８')?.rule).toBe('myNumber');
      expect(findPersonalData('1234-5678-9018')?.rule).toBe('myNumber');
    });

    it.each(['123456789010', '123456789017', '987654321090', '000000000010'])('lets %s pass: its check digit is wrong', (digits) => {
      expect(isMyNumber(digits)).toBe(false);
      expect(findPersonalData(digits)).toBeNull();
    });

    it('lets 11 and 13 digits pass (not an individual number)', () => {
      expect(findPersonalData('12345678901')).toBeNull();
      expect(findPersonalData('1234567890183')).toBeNull();
    });
  });

  describe('telephone numbers', () => {
    it.each(['086-803-1000', '03-1234-5678', '090-1234-5678', '0120-123-456', '0862345678', '(086)803-1000', '０９０－１２３４－５６７８', '090ー1234ー5678', '+81 86 803 1000', 'TEL:086-803-1000'])(
      'recognises %s',
      (text) => expect(findPersonalData(`連絡先 ${text}`)?.rule).toBe('phoneNumber'),
    );

    it.each(['2025-001', 'R-000123', '令和7年度 第2期', '86-803-1000', '1234567890', '+81 86'])('lets %s pass', (text) => {
      expect(findPersonalData(text)).toBeNull();
    });
  });

  describe('e-mail addresses', () => {
    it.each(['taro.okayama@example.jp', 'a+b@mail.example.com', 'ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ'])('recognises %s', (text) => {
      expect(findPersonalData(`送付先 ${text}`)?.rule).toBe('email');
    });

    it.each(['@ledger', 'user@localhost', 'a @ b'])('lets %s pass', (text) => {
      expect(findPersonalData(text)).toBeNull();
    });
  });

  describe('postal codes followed by an address', () => {
    it.each(['〒700-8544 岡山市北区大供一丁目1番1号', '700-8544岡山市北区', '〒7008544 岡山市', '700-8544 Okayama-shi'])('recognises %s', (text) => {
      expect(findPersonalData(text)?.rule).toBe('postalAddress');
    });

    it.each(['700-8544', '〒700-8544', 'ver 2025-0401'])('lets %s pass (no address follows)', (text) => {
      expect(findPersonalData(text)).toBeNull();
    });
  });

  describe('labels', () => {
    it('accept short codes and phrases in any script', () => {
      for (const label of ['介護保険システム運用保守', 'data entry (paper ledgers)', '氏名を番号に置換', '岡山市介護保険システム再構築（標準化）及び運用保守包括業務委託', 'ACCESS-LOG-RETENTION']) {
        expect(labelProblem('purpose', label)).toBeNull();
      }
    });

    it('refuse characters outside the label set, naming the field', () => {
      expect(labelProblem('purpose', 'see <b>note</b>')).toEqual({ rule: 'labelCharacters', message: expect.stringMatching(/^purpose may hold only letters and digits/) });
      expect(labelProblem('purpose', 'quoted "name"')?.rule).toBe('labelCharacters');
    });

    it('cannot recognise a name: that is the producer\'s duty (docs/security.md)', () => {
      expect(labelProblem('purpose', '岡山太郎さんの認定調査')).toBeNull();
    });
  });

  describe('in a submitted event', () => {
    const withData = (type: 'RecordUsed' | 'RecordDisposed' | 'ContractRegistered', data: Record<string, unknown>) =>
      ({ ...exampleEvent(type, ID), data: { ...(exampleEvent(type, ID).data as object), ...data } }) as unknown;

    it('refuses a telephone number in purpose with a 400 naming data.purpose and the rule', () => {
      expect(() => parseEvents([withData('RecordUsed', { purpose: '連絡 090-1234-5678' })], NOW)).toThrow(
        expect.objectContaining({ problems: [expect.objectContaining({ index: 0, field: 'data.purpose', rule: 'freeLabel', message: expect.stringMatching(/^data\.purpose looks like a telephone number/) })] }),
      );
    });

    it('refuses a My Number in an item of a list, naming the item', () => {
      expect(() => parseEvents([withData('ContractRegistered', { purposes: ['運用保守', '123456789018'] })], NOW)).toThrow(
        expect.objectContaining({ problems: [expect.objectContaining({ field: 'data.purposes', message: expect.stringMatching(/^data\.purposes\[1\] looks like an individual number/) })] }),
      );
    });

    it('holds reference-like fields to the ID pattern', () => {
      expect(() => parseEvents([withData('RecordDisposed', { certificateRef: '消去証明書 2026-007' })], NOW)).toThrow(
        expect.objectContaining({ problems: [expect.objectContaining({ field: 'data.certificateRef', rule: 'matches' })] }),
      );
      expect(parseEvents([withData('RecordDisposed', { certificateRef: 'ERASE-2026-007' })], NOW)).toHaveLength(1);
    });

    it(`caps a label at ${LABEL_MAX} characters`, () => {
      expect(parseEvents([withData('RecordUsed', { purpose: 'あ'.repeat(LABEL_MAX) })], NOW)).toHaveLength(1);
      expect(() => parseEvents([withData('RecordUsed', { purpose: 'あ'.repeat(LABEL_MAX + 1) })], NOW)).toThrow(
        expect.objectContaining({ problems: [expect.objectContaining({ field: 'data.purpose', rule: 'maxLength' })] }),
      );
    });
  });
});
