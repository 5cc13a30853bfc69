import { applyDecorators, SetMetadata } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { Role } from './api-keys.js';

export const REQUIRED_ROLE = 'ledger:required-role';

/**
 * The least role a route needs; roles that include it pass too (admin ⊇ auditor ⊇ officer). Also
 * in the Fastify route's config (`requiredRole`), where the request edge checks it before a body
 * is read.
 */
export const RequireRole = (role: Role): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(REQUIRED_ROLE, role), RouteConfig({ requiredRole: role }));
