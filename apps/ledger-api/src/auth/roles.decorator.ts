import { SetMetadata } from '@nestjs/common';
import type { Role } from './api-keys.js';

export const REQUIRED_ROLE = 'ledger:required-role';

/** The least role a route needs; roles that include it pass too (admin ⊇ auditor ⊇ officer). */
export const RequireRole = (role: Role): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_ROLE, role);
