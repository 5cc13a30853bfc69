import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { InvalidRequestError, LedgerError, type FieldProblem } from '@ledger/domain';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { ApiKeyRegistry, ROLES, type Principal, type Role } from '../auth/api-keys.js';
import { ApiKeyStore, type ManagedKey } from './api-key.store.js';

export class CreateApiKeyDto {
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ description: 'who or what uses the key, e.g. "kaigo-system feed"', maxLength: 100 }) label!: string;
}

export class BootstrapKeyError extends LedgerError {
  readonly code = 'LEDGER.BOOTSTRAP_KEY';
}

/** The few fields of a key request, checked by hand: two fields do not need a DTO pipeline. */
function parseCreate(body: unknown): CreateApiKeyDto {
  const problems: FieldProblem[] = [];
  const fail = (field: string, rule: string, message: string): void => {
    problems.push({ index: null, field, rule, message });
  };
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidRequestError([{ index: null, field: '', rule: 'body', message: 'send {"role": …, "label": …}' }]);
  }
  const { role, label, ...rest } = body as Record<string, unknown>;
  for (const key of Object.keys(rest)) fail(key, 'unknownField', `${key} is not a field of an API key request`);
  if (!ROLES.includes(role as Role)) fail('role', 'isIn', `role must be one of ${ROLES.join(', ')}`);
  if (typeof label !== 'string' || label.length < 1 || label.length > 100 || /[\u0000-\u001f\u007f]/.test(label)) {
    fail('label', 'label', 'label must be 1-100 characters without control characters');
  }
  if (problems.length > 0) throw new InvalidRequestError(problems);
  return { role: role as Role, label: label as string };
}

@ApiTags('administration')
@ApiBearerAuth()
@Controller('v1/admin/api-keys')
export class ApiKeysController {
  constructor(
    @Inject(ApiKeyStore) private readonly store: ApiKeyStore,
    @Inject(ApiKeyRegistry) private readonly registry: ApiKeyRegistry,
  ) {}

  @Get()
  @RequireRole('admin')
  @ApiOperation({ summary: 'The bootstrap keys (LEDGER_API_KEYS) and the managed keys, by keyId; never a secret' })
  async list(): Promise<{ bootstrap: Principal[]; managed: ManagedKey[] }> {
    return { bootstrap: this.registry.bootstrapKeys(), managed: await this.store.list() };
  }

  @Post()
  @HttpCode(201)
  @RequireRole('admin')
  @ApiOperation({ summary: 'Create a key for a role; the secret is in this answer only' })
  async create(@Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<ManagedKey & { secret: string }> {
    const { role, label } = parseCreate(body);
    return this.store.create(role, label, principal.keyId);
  }

  @Delete(':keyId')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Revoke a managed key (in every API process within 5 seconds)' })
  async revoke(@Param('keyId') keyId: string, @CurrentPrincipal() principal: Principal): Promise<ManagedKey> {
    if (!/^[0-9a-f]{16}$/.test(keyId)) {
      throw new InvalidRequestError([{ index: null, field: 'keyId', rule: 'matches', message: 'keyId must be 16 hex characters' }]);
    }
    if (this.registry.bootstrapKeys().some((k) => k.keyId === keyId)) {
      throw new BootstrapKeyError(`${keyId} is a bootstrap key: remove it from LEDGER_API_KEYS and restart instead`);
    }
    return this.store.revoke(keyId, principal.keyId);
  }
}
