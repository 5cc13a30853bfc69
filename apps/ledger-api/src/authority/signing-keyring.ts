import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { PartyKeyring } from '@ledger/audit';
import { LEDGER_RUNTIME, SigningKeyStore, type LedgerRuntime } from '@ledger/runtime';

/**
 * The parties' signing keys as the append path checks them: loaded at start, after every change
 * through this process's admin API, and every 5 seconds (another process's changes).
 */
@Injectable()
export class SigningKeyring implements OnModuleInit, OnModuleDestroy {
  readonly store: SigningKeyStore;
  private keyring = new PartyKeyring([]);
  private timer: NodeJS.Timeout | undefined;

  constructor(@Inject(LEDGER_RUNTIME) runtime: LedgerRuntime) {
    this.store = new SigningKeyStore(runtime.pool, runtime.clock);
  }

  async onModuleInit(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), 5_000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    this.keyring = new PartyKeyring(await this.store.all());
  }

  current(): PartyKeyring {
    return this.keyring;
  }
}
