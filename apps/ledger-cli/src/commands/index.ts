import type { CliCommand } from '../cli-command.js';
import { copyLogCommand } from './copy-log.command.js';
import { rebuildCommand } from './rebuild.command.js';
import { workersCommand } from './workers.command.js';

/** Every command of `npm run cli -- <command>`. */
export const COMMANDS: CliCommand[] = [
  copyLogCommand,
  rebuildCommand,
  workersCommand,
];
