import type { CliCommand } from '../cli-command.js';
import { copyLogCommand } from './copy-log.command.js';
import { exportCommand } from './export.command.js';
import { importCommand } from './import.command.js';
import { publicKeyCommand } from './public-key.command.js';
import { replayCommand } from './replay.command.js';
import { verifyBundleCommand } from './verify-bundle.command.js';
import { verifyCommand } from './verify.command.js';
import { rebuildCommand } from './rebuild.command.js';
import { newSigningKeyCommand, signEventsCommand } from './sign-events.command.js';
import { rotateKeyCommand } from './rotate-key.command.js';
import { witnessCommand } from './witness.command.js';
import { workersCommand } from './workers.command.js';

/** Every command of `npx ledger <command>`. */
export const COMMANDS: CliCommand[] = [
  importCommand,
  copyLogCommand,
  rebuildCommand,
  workersCommand,
  verifyCommand,
  exportCommand,
  verifyBundleCommand,
  replayCommand,
  publicKeyCommand,
  newSigningKeyCommand,
  signEventsCommand,
  rotateKeyCommand,
  witnessCommand,
];
