import { cosignerVerifierKey, generateCosignerKey } from '@ledger/integrity';
import { ledgerConfigFromEnv } from './ledger-config.js';

describe('configuration: the log origin, witnesses, the public rate limit', () => {
  it('refuses the default log origin in production, and takes or derives a unique one', () => {
    expect(() => ledgerConfigFromEnv({ NODE_ENV: 'production' })).toThrow(/needs a log origin unique to this deployment: set LEDGER_LOG_ORIGIN/);
    expect(ledgerConfigFromEnv({ NODE_ENV: 'production', LEDGER_LOG_ORIGIN: 'ledger.kaigo.city.example/2025' }).logOrigin).toBe('ledger.kaigo.city.example/2025');
    expect(ledgerConfigFromEnv({ NODE_ENV: 'production', LEDGER_PUBLIC_URL: 'https://ledger.city.example/kaigo/' }).logOrigin).toBe('ledger.city.example/kaigo/v1/log');
    expect(ledgerConfigFromEnv({}).logOrigin).toBeUndefined();
  });

  it('parses LEDGER_WITNESSES as "<url> <public key>" entries and refuses anything else', () => {
    const key = cosignerVerifierKey(generateCosignerKey('witness.city.example/ledger'));
    const config = ledgerConfigFromEnv({ LEDGER_WITNESSES: `http://127.0.0.1:7380/ ${key}, https://w2.example ${cosignerVerifierKey(generateCosignerKey('w2.example/l'))}` });
    expect(config.witnesses.map((w) => [w.url, w.verifier.name])).toEqual([['http://127.0.0.1:7380', 'witness.city.example/ledger'], ['https://w2.example', 'w2.example/l']]);
    expect(() => ledgerConfigFromEnv({ LEDGER_WITNESSES: key })).toThrow(/entry 1 must be "<url> <witness public key>"/);
    expect(() => ledgerConfigFromEnv({ LEDGER_WITNESSES: `ftp://x ${key}` })).toThrow(/http or https/);
    expect(() => ledgerConfigFromEnv({ LEDGER_WITNESSES: `http://a ${key},http://b ${key}` })).toThrow(/twice/);
    expect(ledgerConfigFromEnv({}).publicRateLimit).toBe(600);
    expect(() => ledgerConfigFromEnv({ LEDGER_PUBLIC_RATE_LIMIT: '0' })).toThrow(/LEDGER_PUBLIC_RATE_LIMIT/);
  });

  it('takes DATABASE_READ_URL (a postgres:// standby) and the bounded wait for it, and refuses it beside EventStoreDB', () => {
    expect(ledgerConfigFromEnv({})).toMatchObject({ databaseReadUrl: undefined, replicaWaitMs: 2_000 });
    expect(ledgerConfigFromEnv({ DATABASE_READ_URL: 'postgres://u@standby:5432/ledger', LEDGER_REPLICA_WAIT_MS: '500' })).toMatchObject({
      databaseReadUrl: 'postgres://u@standby:5432/ledger',
      replicaWaitMs: 500,
    });
    expect(() => ledgerConfigFromEnv({ DATABASE_READ_URL: 'mysql://standby/ledger' })).toThrow(/DATABASE_READ_URL must be a postgres:\/\/ URL/);
    expect(() => ledgerConfigFromEnv({ DATABASE_READ_URL: 'postgres://standby/ledger', EVENTSTORE_URL: 'esdb://x:2113' })).toThrow(/EventStoreDB/);
    expect(() => ledgerConfigFromEnv({ LEDGER_REPLICA_WAIT_MS: '60000' })).toThrow(/LEDGER_REPLICA_WAIT_MS must be an integer from 0 to 10000/);
  });
});
