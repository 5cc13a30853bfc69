import type { CliCommand } from '../cli-command.js';

/** Every command of `npm run cli -- <command>`. */
export const COMMANDS: CliCommand[] = [];
