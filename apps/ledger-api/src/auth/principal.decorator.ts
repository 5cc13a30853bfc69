import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from './api-keys.js';

/** The authenticated caller, as the guard left it on the request (routes with @RequireRole always have one). */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest<{ principal: Principal }>().principal,
);
