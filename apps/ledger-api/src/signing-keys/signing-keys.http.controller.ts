import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { InvalidRequestError, isParty, PARTY_RULE, PARTY_PATTERN, type FieldProblem, type Party } from '@ledger/domain';
import type { SigningKeyRecord } from '@ledger/runtime';
import { checkKeyId } from '../api-keys/api-keys.http.controller.js';
import type { Principal } from '../auth/api-keys.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { ScopeFree } from '../auth/scope.decorator.js';
import { SigningKeyring } from '../authority/signing-keyring.js';
import { QueryReader } from '../http/query.js';

export class RegisterSigningKeyDto {
  @ApiProperty({ description: PARTY_RULE, example: 'contractor:okayama-systems' }) party!: string;
  @ApiProperty({ description: 'the raw 32-byte Ed25519 public key, base64 (what `npm run cli -- new-signing-key` prints)' }) publicKey!: string;
  @ApiProperty({ description: 'which system signs with it, e.g. "kaigo-system feed 2026"', maxLength: 100 }) label!: string;
}

export class RotateSigningKeyDto {
  @ApiProperty({ description: 'the new raw 32-byte Ed25519 public key, base64' }) publicKey!: string;
  @ApiPropertyOptional({ maxLength: 100 }) label?: string;
}

function fields(body: unknown, allowed: readonly string[]): { values: Record<string, unknown>; problems: FieldProblem[] } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidRequestError([{ index: null, field: '', rule: 'body', message: `send {${allowed.map((a) => `"${a}": …`).join(', ')}}` }]);
  }
  const values = body as Record<string, unknown>;
  const problems: FieldProblem[] = Object.keys(values)
    .filter((k) => !allowed.includes(k))
    .map((k) => ({ index: null, field: k, rule: 'unknownField', message: `${k} is not a field of this request` }));
  return { values, problems };
}

function checkLabel(value: unknown, required: boolean, problems: FieldProblem[]): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || value.length < 1 || value.length > 100 || /[\u0000-\u001f\u007f]/.test(value)) {
    problems.push({ index: null, field: 'label', rule: 'label', message: 'label must be 1-100 characters without control characters' });
  }
}

function checkPublicKey(value: unknown, problems: FieldProblem[]): void {
  if (typeof value !== 'string') problems.push({ index: null, field: 'publicKey', rule: 'required', message: 'publicKey is required: the base64 raw Ed25519 public key' });
}

/**
 * The parties' event-signing keys (EVENTS.md v2 "Signed events", docs/security.md "Signing
 * events"): the city's admin registers the public key a party generated, rotates it (the old key's
 * interval ends, its events still verify) and revokes it. The private key never reaches the ledger.
 */
@ApiTags('administration')
@ApiBearerAuth()
@Controller('v1/admin/signing-keys')
export class SigningKeysController {
  constructor(private readonly keyring: SigningKeyring) {}

  @Get()
  @RequireRole('admin')
  @ScopeFree('public keys of the parties, for the city-wide admin keys only')
  @ApiOperation({ summary: "Every party's signing keys with their validity intervals (or one party's)" })
  @ApiQuery({ name: 'party', required: false, description: PARTY_RULE })
  async list(@Query() query: Record<string, unknown>): Promise<{ keys: SigningKeyRecord[] }> {
    const q = new QueryReader(query, ['party']);
    const party = q.string('party', PARTY_PATTERN, PARTY_RULE);
    q.done();
    return { keys: await this.keyring.store.list(party) };
  }

  @Post()
  @HttpCode(201)
  @RequireRole('admin')
  @ScopeFree('key management is for the city-wide admin keys only')
  @ApiOperation({ summary: "Register a party's Ed25519 public key; the answer's keyId is what the party's signatures name" })
  async register(@Body() body: RegisterSigningKeyDto, @CurrentPrincipal() principal: Principal): Promise<SigningKeyRecord> {
    const { values, problems } = fields(body, ['party', 'publicKey', 'label']);
    if (!isParty(values.party)) problems.push({ index: null, field: 'party', rule: 'isParty', message: `party must be ${PARTY_RULE}` });
    checkPublicKey(values.publicKey, problems);
    checkLabel(values.label, true, problems);
    if (problems.length > 0) throw new InvalidRequestError(problems);
    const record = await this.keyring.store.register({ party: values.party as Party, publicKey: values.publicKey as string, label: values.label as string }, principal.keyId);
    await this.keyring.refresh();
    return record;
  }

  @Post(':keyId/rotate')
  @HttpCode(200)
  @RequireRole('admin')
  @ScopeFree('key management is for the city-wide admin keys only')
  @ApiOperation({ summary: "Replace a party's key by a new public key from now on; events signed with the old key before now still verify" })
  async rotate(@Param('keyId') keyId: string, @Body() body: RotateSigningKeyDto, @CurrentPrincipal() principal: Principal): Promise<{ previous: SigningKeyRecord; current: SigningKeyRecord }> {
    checkKeyId(keyId);
    const { values, problems } = fields(body, ['publicKey', 'label']);
    checkPublicKey(values.publicKey, problems);
    checkLabel(values.label, false, problems);
    if (problems.length > 0) throw new InvalidRequestError(problems);
    const rotated = await this.keyring.store.rotate(keyId, { publicKey: values.publicKey as string, label: values.label as string | undefined }, principal.keyId);
    await this.keyring.refresh();
    return rotated;
  }

  @Delete(':keyId')
  @RequireRole('admin')
  @ScopeFree('key management is for the city-wide admin keys only')
  @ApiOperation({ summary: 'Revoke a signing key from now on (e.g. it leaked): events it signs are refused; the ones recorded before still verify' })
  async revoke(@Param('keyId') keyId: string, @CurrentPrincipal() principal: Principal): Promise<SigningKeyRecord> {
    checkKeyId(keyId);
    const record = await this.keyring.store.revoke(keyId, principal.keyId);
    await this.keyring.refresh();
    return record;
  }
}
