import type { CliCommand } from '../cli-command.js';
import { copyLogCommand } from './copy-log.command.js';

/** Every command of `npm run cli -- <command>`. */
export const COMMANDS: CliCommand[] = [copyLogCommand];
