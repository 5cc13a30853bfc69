import { SetMetadata } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';

export const CONSOLE_SESSION = 'ledger:console-session';

/**
 * The route also accepts a console session (the cookie of auth/console-sessions.ts) instead of an
 * `Authorization` header: the console's pages. The same guards then check the session's key —
 * its role, its scope, its budget — exactly as they check a bearer key.
 */
export const ConsoleSession = (): MethodDecorator & ClassDecorator => SetMetadata(CONSOLE_SESSION, true);

/**
 * A console form that carries its own credentials (sign-in: the key in the form; sign-out: the
 * session cookie and its CSRF token): the request edge lets it through without a bearer key, a
 * small form only (http/request-limits.ts).
 */
export const ConsoleForm = (): MethodDecorator => RouteConfig({ consoleForm: true });
