import {
  SignedNoteError,
  generateSignerKey,
  isValidKeyName,
  keyIdOf,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  verifierKeyOf,
} from './signed-note.js';

// Fixed keys and notes from golang.org/x/mod/sumdb/note (note_test.go), the reference implementation.
const GO = {
  peterSigner: 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz',
  peterVerifier: 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
  enochVerifier: 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop',
  text: "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n",
  peterSig: '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n',
  enochSig: '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n',
};

function expectNoteError(action: () => unknown, code: SignedNoteError['code']): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SignedNoteError);
  expect((caught as SignedNoteError).code).toBe(code);
}

describe('signed notes (C2SP signed-note, Ed25519)', () => {
  describe('interoperability with golang.org/x/mod/sumdb/note', () => {
    it('verifies the note Go signed', () => {
      expect(openNote(`${GO.text}\n${GO.peterSig}`, GO.peterVerifier)).toBe(GO.text);
    });

    it('signs byte for byte like Go with the same key (Ed25519 is deterministic)', () => {
      expect(signNote(GO.text, GO.peterSigner)).toBe(`${GO.text}\n${GO.peterSig}`);
    });

    it('derives the same verifier key and key ID from the signer key', () => {
      const signer = parseSignerKey(GO.peterSigner);
      expect(verifierKeyOf(signer)).toBe(GO.peterVerifier);
      expect(signer.keyId).toBe(0xc74f20a3);
      expect(keyIdOf(signer.name, signer.publicKey)).toBe(0xc74f20a3);
    });

    it('ignores signatures by keys it was not given, and needs one by the key it was given', () => {
      const twiceSigned = `${GO.text}\n${GO.peterSig}${GO.enochSig}`;
      expect(openNote(twiceSigned, GO.peterVerifier)).toBe(GO.text);
      expect(openNote(twiceSigned, GO.enochVerifier)).toBe(GO.text);
      expectNoteError(() => openNote(`${GO.text}\n${GO.enochSig}`, GO.peterVerifier), 'unknown-key');
    });

    it('rejects the signature Go rejects as invalid', () => {
      expectNoteError(() => openNote(`${GO.text}\n${GO.peterSig.slice(0, 60)}ABCD${GO.peterSig.slice(60)}`, GO.peterVerifier), 'invalid-signature');
    });

    it.each([
      ['text only', GO.text],
      ['no signature line', `${GO.text}\n`],
      ['no final newline', `${GO.text}\n${GO.peterSig.slice(0, -1)}`],
      ['a control character', `\u0001${GO.text}\n${GO.peterSig}`],
      ['a lone surrogate (not UTF-8)', `\ud800${GO.text}\n${GO.peterSig}`],
      ['a name with a space', `${GO.text}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`],
      ['a trailing line that is not a signature', `${GO.text}\n${GO.peterSig}Unexpected line.\n`],
      ['more than 100 signatures', `${GO.text}\n${GO.peterSig.repeat(101)}`],
    ])('rejects a malformed note: %s', (_case, note) => {
      expectNoteError(() => openNote(note, GO.peterVerifier), 'malformed-note');
    });

    it('rejects every truncation and every single-character change of the Go verifier and signer keys', () => {
      for (const [key, parse] of [
        [GO.peterVerifier, parseVerifierKey],
        [GO.peterSigner, parseSignerKey],
      ] as const) {
        for (let i = 0; i <= key.length; i++) {
          for (let j = i + 1; j <= key.length; j++) {
            if (i === 0 && j === key.length) continue;
            expectNoteError(() => parse(key.slice(i, j)), 'malformed-key');
          }
        }
        for (let i = 0; i < key.length; i++) {
          const changed = key.slice(0, i) + String.fromCharCode(key.charCodeAt(i) + 1) + key.slice(i + 1);
          expectNoteError(() => parse(changed), 'malformed-key');
        }
      }
    });

    it('rejects the keys Go rejects: wrong key length, unknown algorithm', () => {
      expectNoteError(() => parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='), 'malformed-key');
      expect(() => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow('unknown algorithm');
    });
  });

  describe('keys of our own', () => {
    it('generates a key that signs notes its verifier key opens', () => {
      // Given a fresh key
      const signerKey = generateSignerKey('ledger.example/okayama');
      expect(signerKey).toMatch(/^PRIVATE\+KEY\+ledger\.example\/okayama\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
      const verifierKey = verifierKeyOf(signerKey);
      expect(verifierKey).toMatch(/^ledger\.example\/okayama\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);

      // When it signs a note, then the note opens with the verifier key
      const note = signNote('hello\n\nworld\n', parseSignerKey(signerKey));
      expect(openNote(note, parseVerifierKey(verifierKey))).toBe('hello\n\nworld\n');
    });

    it('rejects a note signed by another key with the same name', () => {
      const note = signNote('hello\n', generateSignerKey('ledger.example/okayama'));
      expectNoteError(() => openNote(note, verifierKeyOf(generateSignerKey('ledger.example/okayama'))), 'unknown-key');
    });

    it('rejects a signature by the trusted key over a different text', () => {
      const signer = generateSignerKey('ledger.example');
      const signed = signNote('size 1\n', signer);
      const signatureLine = signed.slice(signed.lastIndexOf('\n\n') + 2);
      expectNoteError(() => openNote(`size 2\n\n${signatureLine}`, verifierKeyOf(signer)), 'invalid-signature');
    });

    it('refuses names and texts the format cannot carry', () => {
      for (const name of ['', 'a b', 'a+b', 'tab\there', 'nbsp\u00a0here', 'line\u2028sep']) {
        expect(isValidKeyName(name)).toBe(false);
        expectNoteError(() => generateSignerKey(name), 'malformed-key');
      }
      expect(isValidKeyName('example.com/log-42')).toBe(true);
      const signer = generateSignerKey('ledger.example');
      expectNoteError(() => signNote('no final newline', signer), 'malformed-note');
      expectNoteError(() => signNote('bell \u0007\n', signer), 'malformed-note');
    });
  });
});
