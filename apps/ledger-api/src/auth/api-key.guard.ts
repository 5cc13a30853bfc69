import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyRegistry, roleAllows, type Principal, type Role } from './api-keys.js';
import { REQUIRED_ROLE } from './roles.decorator.js';
import { ForbiddenError, UnauthenticatedError } from './auth.errors.js';

/** Routes without @RequireRole are public (health, docs); the others need `Authorization: Bearer <secret>`. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ApiKeyRegistry) private readonly keys: ApiKeyRegistry,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new UnauthenticatedError('missing credentials: send Authorization: Bearer <api key>');
    const principal = this.keys.authenticate(match[1]!);
    if (!principal) throw new UnauthenticatedError('unknown API key');
    if (!roleAllows(principal.role, required)) {
      throw new ForbiddenError(`this needs the ${required} role; the key has the ${principal.role} role`);
    }
    request.principal = principal;
    return true;
  }
}
