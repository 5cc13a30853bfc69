import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ID_PATTERN, InvalidRequestError, isParty, KEY_ID_PATTERN, KEY_ID_RULE, LedgerError, parseTimestamp, PARTY_RULE, TIMESTAMP_RULE, type ContractScope, type FieldProblem, type Party } from '@ledger/domain';
import { LEDGER_RUNTIME, type LedgerRuntime } from '@ledger/runtime';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { ScopeFree } from '../auth/scope.decorator.js';
import { ApiKeyRegistry, keyShapeProblem, ROLES, type BootstrapKeyView, type Principal, type Role } from '../auth/api-keys.js';
import { ApiKeyStore, DEFAULT_ROTATION_GRACE_SECONDS, MAX_ROTATION_GRACE_SECONDS, type ManagedKey, type NewKey } from './api-key.store.js';

export class CreateApiKeyDto {
  @ApiProperty({ enum: ROLES, description: 'feed appends (nothing else does); officer reads custody and compliance; auditor also history, replay, export, proofs and the access log; admin manages keys and reads' })
  role!: Role;
  @ApiProperty({ description: 'who or what uses the key, e.g. "kaigo-system feed"', maxLength: 100 }) label!: string;
  @ApiPropertyOptional({ description: `the party the key speaks for: ${PARTY_RULE}; default city (an admin key is always the city's)`, example: 'contractor:okayama-systems' })
  party?: string;
  @ApiPropertyOptional({ type: [String], description: 'the contracts the key covers (default: all; a contractor key only ever covers its own)', example: ['okayama-kaigo-2025'] })
  contracts?: string[];
  @ApiPropertyOptional({ description: `when the key stops working: ${TIMESTAMP_RULE}, in the future; default never` })
  expiresAt?: string;
}

export class RotateApiKeyDto {
  @ApiPropertyOptional({ description: `how long the old secret keeps working, in seconds: 0-${MAX_ROTATION_GRACE_SECONDS}, default ${DEFAULT_ROTATION_GRACE_SECONDS} (a day)` })
  graceSeconds?: number;
}

export class BootstrapKeyError extends LedgerError {
  readonly code = 'LEDGER.BOOTSTRAP_KEY';
}

type Problems = { fail(field: string, rule: string, message: string): void; list: FieldProblem[] };

function problems(): Problems {
  const list: FieldProblem[] = [];
  return { list, fail: (field, rule, message) => list.push({ index: null, field, rule, message }) };
}

function objectBody(body: unknown, shape: string): Record<string, unknown> {
  if (body === undefined) return {};
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidRequestError([{ index: null, field: '', rule: 'body', message: `send ${shape}` }]);
  }
  return body as Record<string, unknown>;
}

/** The fields of a key request, checked by hand: a few fields do not need a DTO pipeline. */
function parseCreate(body: unknown, now: number): NewKey {
  const p = problems();
  const { role, label, party = 'city', contracts, expiresAt, ...rest } = objectBody(body, '{"role": …, "label": …, "party": …, "contracts": […]}');
  for (const key of Object.keys(rest)) p.fail(key, 'unknownField', `${key} is not a field of an API key request`);
  if (!ROLES.includes(role as Role)) p.fail('role', 'isIn', `role must be one of ${ROLES.join(', ')}`);
  if (typeof label !== 'string' || label.length < 1 || label.length > 100 || /[\u0000-\u001f\u007f]/.test(label)) {
    p.fail('label', 'label', 'label must be 1-100 characters without control characters');
  }
  if (!isParty(party)) p.fail('party', 'isParty', `party must be ${PARTY_RULE}`);
  let scope: ContractScope = 'all';
  if (contracts !== undefined) {
    if (!Array.isArray(contracts) || contracts.length < 1 || contracts.length > 1_000 || !contracts.every((c) => typeof c === 'string' && ID_PATTERN.test(c))) {
      p.fail('contracts', 'contractIds', 'contracts must be a list of 1-1000 contract IDs (leave it out for all contracts)');
    } else {
      scope = [...new Set(contracts as string[])];
    }
  }
  let expires: number | null = null;
  if (expiresAt !== undefined) {
    expires = parseTimestamp(expiresAt);
    if (expires === null) p.fail('expiresAt', 'isTimestamp', `expiresAt must be ${TIMESTAMP_RULE}`);
    else if (expires <= now) p.fail('expiresAt', 'future', 'expiresAt must be in the future');
  }
  if (p.list.length === 0) {
    const shape = keyShapeProblem(role as Role, party as Party, scope);
    if (shape !== null) p.fail(party === 'city' ? 'contracts' : 'party', 'adminIsCityWide', shape);
  }
  if (p.list.length > 0) throw new InvalidRequestError(p.list);
  return { role: role as Role, label: label as string, party: party as Party, contracts: scope, expiresAt: expires };
}

function parseRotate(body: unknown): number {
  const p = problems();
  const { graceSeconds = DEFAULT_ROTATION_GRACE_SECONDS, ...rest } = objectBody(body, '{"graceSeconds": …} or nothing');
  for (const key of Object.keys(rest)) p.fail(key, 'unknownField', `${key} is not a field of a rotation request`);
  if (!Number.isInteger(graceSeconds) || (graceSeconds as number) < 0 || (graceSeconds as number) > MAX_ROTATION_GRACE_SECONDS) {
    p.fail('graceSeconds', 'integerRange', `graceSeconds must be an integer from 0 to ${MAX_ROTATION_GRACE_SECONDS}`);
  }
  if (p.list.length > 0) throw new InvalidRequestError(p.list);
  return graceSeconds as number;
}

export function checkKeyId(keyId: string): void {
  if (!KEY_ID_PATTERN.test(keyId)) throw new InvalidRequestError([{ index: null, field: 'keyId', rule: 'matches', message: `keyId must be ${KEY_ID_RULE}` }]);
}

const ADMIN_ONLY = 'key management is for the city-wide admin keys only';

@ApiTags('administration')
@ApiBearerAuth()
@Controller('v1/admin/api-keys')
export class ApiKeysController {
  constructor(
    @Inject(ApiKeyStore) private readonly store: ApiKeyStore,
    @Inject(ApiKeyRegistry) private readonly registry: ApiKeyRegistry,
    @Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime,
  ) {}

  @Get()
  @RequireRole('admin')
  @ScopeFree(ADMIN_ONLY)
  @ApiOperation({ summary: 'The bootstrap keys (LEDGER_API_KEYS) and the managed keys, by keyId, with role, party, contracts and state; never a secret' })
  async list(): Promise<{ bootstrap: BootstrapKeyView[]; managed: ManagedKey[] }> {
    return { bootstrap: this.registry.bootstrapKeys(), managed: await this.store.list() };
  }

  @Post()
  @HttpCode(201)
  @RequireRole('admin')
  @ScopeFree(ADMIN_ONLY)
  @ApiOperation({
    summary: 'Create a key for a role, a party and some contracts (default: the city, all contracts); the secret is in this answer only',
    description: 'EVENTS.md v2 "Parties and contracts". An admin key must be the city\'s for all contracts. docs/security.md "Issuing keys".',
  })
  async create(@Body() body: CreateApiKeyDto, @CurrentPrincipal() principal: Principal): Promise<ManagedKey & { secret: string }> {
    return this.store.create(parseCreate(body, this.runtime.clock()), principal.keyId);
  }

  @Post(':keyId/rotate')
  @HttpCode(200)
  @RequireRole('admin')
  @ScopeFree(ADMIN_ONLY)
  @ApiOperation({
    summary: 'A new secret for the same key (same keyId, role, party, contracts); the old secret keeps working for the grace period (default a day), then only the new one',
  })
  async rotate(@Param('keyId') keyId: string, @Body() body: RotateApiKeyDto, @CurrentPrincipal() principal: Principal): Promise<ManagedKey & { secret: string }> {
    checkKeyId(keyId);
    this.refuseBootstrap(keyId, 'rotated');
    return this.store.rotate(keyId, parseRotate(body), principal.keyId);
  }

  @Delete(':keyId')
  @RequireRole('admin')
  @ScopeFree(ADMIN_ONLY)
  @ApiOperation({ summary: 'Revoke a managed key, its old secret too (in every API process within 5 seconds)' })
  async revoke(@Param('keyId') keyId: string, @CurrentPrincipal() principal: Principal): Promise<ManagedKey> {
    checkKeyId(keyId);
    this.refuseBootstrap(keyId, 'revoked');
    return this.store.revoke(keyId, principal.keyId);
  }

  private refuseBootstrap(keyId: string, what: string): void {
    if (this.registry.bootstrapKeys().some((k) => k.keyId === keyId)) {
      throw new BootstrapKeyError(`${keyId} is a bootstrap key and cannot be ${what} here: change LEDGER_API_KEYS and restart instead`);
    }
  }
}
