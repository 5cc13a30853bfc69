import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from './api-keys.js';

/** The authenticated caller, as the guard left it on the request. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal | undefined =>
    context.switchToHttp().getRequest<{ principal?: Principal }>().principal,
);
