import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsString, Matches } from 'class-validator';
import { ACTOR_ORG_PATTERN, closestName, EVENT_TYPES, KEY_ID_PATTERN, KEY_ID_RULE, UUID_PATTERN } from '@ledger/domain';
import { LedgerId, Nested, Timestamp } from './field-rules.js';

export class ActorDto {
  @ApiProperty({ type: String, pattern: ACTOR_ORG_PATTERN.source, description: '`city`, `contractor` or `subcontractor:<id>`', example: 'contractor' })
  @IsString()
  @Matches(ACTOR_ORG_PATTERN, { message: 'actor.org must be city, contractor or subcontractor:<id>' })
  org!: string;

  @LedgerId(false, 'worker or city staff; required for contractor and subcontractor actors on record events')
  workerId?: string;
}

/** Base64 of the 64 bytes of an Ed25519 signature. */
export const SIGNATURE_PATTERN = /^[A-Za-z0-9+/]{86}==$/;

/** EVENTS.md v2 "Signed events" (docs/security.md "Signing events"). */
export class EventSignatureDto {
  @ApiProperty({ type: String, pattern: KEY_ID_PATTERN.source, description: 'the signing key, as the ledger named it when the party registered it', example: '3f9a0c1d2e4b5a67' })
  @IsString()
  @Matches(KEY_ID_PATTERN, { message: `keyId must be ${KEY_ID_RULE}` })
  keyId!: string;

  @ApiProperty({ type: String, pattern: SIGNATURE_PATTERN.source, description: 'base64 Ed25519 signature over the RFC 8785 canonical JSON of the event without `signature`' })
  @IsString()
  @Matches(SIGNATURE_PATTERN, { message: 'sig must be the base64 of a 64-byte Ed25519 signature' })
  sig!: string;
}

function unknownTypeMessage(value: unknown): string {
  const meant = closestName(value, EVENT_TYPES);
  return `type must be one of the event types of the wire contract (the list: /docs, docs/events.md)${meant ? `; did you mean ${meant}?` : ''}`;
}

/** The envelope every event shares (EVENTS.md "Envelope"); `data` is checked by its type's DTO. */
export class EventEnvelopeDto {
  @ApiProperty({ type: String, format: 'uuid', description: 'chosen by the producer; the idempotency key', example: '5b0c7c1e-8a39-4d2e-9a51-0f3c1f1f6a10' })
  @IsString()
  @Matches(UUID_PATTERN, { message: 'eventId must be a UUID' })
  eventId!: string;

  @ApiProperty({ enum: EVENT_TYPES, description: 'event type; decides the fields of `data`' })
  @IsIn(EVENT_TYPES, { message: ({ value }) => unknownTypeMessage(value) })
  type!: string;

  @LedgerId(true, 'contract') contractId!: string;

  @LedgerId(false, 'record; required for record events, refused on contract events') recordId?: string;

  @Timestamp(true, 'business time; at most 5 minutes ahead of the ledger clock') occurredAt!: string;

  @Nested(() => ActorDto) actor!: ActorDto;

  @LedgerId(false, 'producing system') source?: string;

  @Nested(() => EventSignatureDto, false, "the acting party's signature (EVENTS.md v2); required when the contract's policy has requireSignedEvents")
  signature?: EventSignatureDto;

  @ApiProperty({ type: 'object', additionalProperties: true, description: "the type's fields (see the *Data schemas); nothing else" })
  @IsObject({ message: 'data must be an object' })
  data!: Record<string, unknown>;
}

export class EventBatchDto {
  @ApiProperty({ type: [EventEnvelopeDto], minItems: 1, maxItems: 10_000 })
  events!: EventEnvelopeDto[];
}

export class AppendedEventDto {
  @ApiProperty() eventId!: string;
  @ApiProperty({ enum: ['appended', 'duplicate'] }) status!: string;
  @ApiProperty({ example: 'record-okayama-kaigo-2025-R-000123' }) streamId!: string;
  @ApiProperty({ description: '0 for the first event of a stream' }) streamVersion!: number;
  @ApiProperty({ description: 'global position, 1 for the first event of the ledger' }) position!: number;
  @ApiProperty({ description: 'hex SHA-256 leaf hash of the stored event (RFC 6962 over RFC 8785 JSON)' }) hash!: string;
}

export class AppendAnswerDto {
  @ApiProperty({ type: [AppendedEventDto] }) events!: AppendedEventDto[];
}

export class FieldProblemDto {
  @ApiProperty({ description: 'index of the event in the batch (0 for a single event)' }) index!: number;
  @ApiProperty({ example: 'data.copyId' }) field!: string;
  @ApiProperty({ example: 'matches' }) rule!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ description: 'the message in Japanese, when the request has Accept-Language: ja and the rule has a translation' }) messageJa?: string;
}

export class ErrorAnswerDto {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'LEDGER.INVALID_EVENTS' }) code!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ description: "the code's message in Japanese, when the request has Accept-Language: ja (message stays English)" }) messageJa?: string;
  @ApiPropertyOptional({ type: [FieldProblemDto] }) errors?: FieldProblemDto[];
}
