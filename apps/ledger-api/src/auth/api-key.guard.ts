import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyRegistry, type Principal, type Role } from './api-keys.js';
import { authenticate } from './authenticate.js';
import { REQUIRED_ROLE } from './roles.decorator.js';

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
    request.principal = authenticate(request.headers.authorization, this.keys, required);
    return true;
  }
}
