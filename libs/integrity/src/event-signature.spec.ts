import { canonicalize } from './canonical-json.js';
import {
  ed25519PrivateKeyFromBase64,
  ed25519PublicKeyFromBase64,
  eventSigningBytes,
  generateEventSigningKey,
  signEvent,
  verifyEventSignature,
} from './event-signature.js';

const event = { eventId: 'e1', type: 'RecordUsed', data: { purpose: '運用保守' }, contractId: 'c' };

describe('signed events', () => {
  const keys = generateEventSigningKey();
  const privateKey = ed25519PrivateKeyFromBase64(keys.privateKey)!;
  const publicKey = ed25519PublicKeyFromBase64(keys.publicKey)!;

  it('signs the canonical bytes of the event without its signature', () => {
    const signed = signEvent(event, privateKey, 'k1');
    expect(eventSigningBytes(signed).toString('utf8')).toBe(canonicalize(event));
    expect(signed.signature.keyId).toBe('k1');
    expect(verifyEventSignature(signed, publicKey)).toBe(true);
  });

  it('fails on any changed byte, on another key, and on a malformed or missing signature', () => {
    const signed = signEvent(event, privateKey, 'k1');
    expect(verifyEventSignature({ ...signed, data: { purpose: '運用保守 ' } } as typeof signed, publicKey)).toBe(false);
    const other = ed25519PublicKeyFromBase64(generateEventSigningKey().publicKey)!;
    expect(verifyEventSignature(signed, other)).toBe(false);
    expect(verifyEventSignature({ ...signed, signature: { keyId: 'k1', sig: 'not base64!' } }, publicKey)).toBe(false);
    expect(verifyEventSignature(event as never, publicKey)).toBe(false);
  });

  it('refuses keys that are not 32 raw bytes', () => {
    expect(ed25519PublicKeyFromBase64('AAAA')).toBeNull();
    expect(ed25519PrivateKeyFromBase64('')).toBeNull();
  });
});
