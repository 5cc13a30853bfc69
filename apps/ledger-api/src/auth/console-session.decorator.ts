import { SetMetadata } from '@nestjs/common';

export const CONSOLE_SESSION = 'ledger:console-session';

/**
 * The route also accepts a console session (the cookie of auth/console-sessions.ts) instead of an
 * `Authorization` header: the console's pages. The same guards then check the session's key —
 * its role, its scope, its budget — exactly as they check a bearer key.
 */
export const ConsoleSession = (): MethodDecorator & ClassDecorator => SetMetadata(CONSOLE_SESSION, true);
