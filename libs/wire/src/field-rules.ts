/**
 * Field rules of the wire contract as class-validator decorators that also describe themselves to
 * OpenAPI, so the documentation at /docs is generated from the very rules that validate.
 */
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { Type } from 'class-transformer';
import { registerNestedType } from './compiled-validation.js';
import { LABEL_CHARACTERS_RULE, LABEL_MAX, labelProblem } from './pii-guard.js';
import {
  DURATION_RULE,
  ID_PATTERN,
  ID_RULE,
  parseDuration,
  parseTimestamp,
  TIMESTAMP_RULE,
} from '@ledger/domain';

type Decorator = PropertyDecorator;

function all(...decorators: Decorator[]): Decorator {
  return (target, key) => decorators.forEach((d) => d(target, key));
}

function doc(required: boolean, options: ApiPropertyOptions): Decorator {
  return required ? ApiProperty(options) : ApiPropertyOptional(options);
}

function optional(required: boolean): Decorator[] {
  return required ? [] : [IsOptional()];
}

const each: ValidationOptions = { each: true };

export const LIST_MAX = 10_000;

export function IsTimestamp(): PropertyDecorator {
  return ValidateBy({
    name: 'isTimestamp',
    validator: {
      validate: (value) => parseTimestamp(value) !== null,
      defaultMessage: (args) => `${args?.property} must be ${TIMESTAMP_RULE}`,
    },
  });
}

export function IsDuration(): PropertyDecorator {
  return ValidateBy({
    name: 'isDuration',
    validator: {
      validate: (value) => parseDuration(value) !== null,
      defaultMessage: (args) => `${args?.property} must be ${DURATION_RULE}`,
    },
  });
}

export function LedgerId(required = true, description = 'ID'): Decorator {
  return all(
    doc(required, { type: String, pattern: ID_PATTERN.source, description: `${description}; ${ID_RULE}`, example: 'R-000123' }),
    ...optional(required),
    IsString(),
    Matches(ID_PATTERN, { message: ({ property }) => `${property} must be ${ID_RULE}` }),
  );
}

export function Timestamp(required = true, description = 'time'): Decorator {
  return all(
    doc(required, { type: String, format: 'date-time', description: `${description}; ${TIMESTAMP_RULE}`, example: '2026-04-01T09:00:00+09:00' }),
    ...optional(required),
    IsTimestamp(),
  );
}

/**
 * A free label passes the personal-data guard (pii-guard.ts): no My Number, telephone number,
 * e-mail or postal address, and only the label characters. For a list, each item.
 */
export function IsFreeLabel(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'freeLabel',
      validator: {
        validate: (value) => typeof value !== 'string' || labelProblem('', value) === null,
        defaultMessage: (args) => {
          const value = args?.value as unknown;
          const property = String(args?.property);
          if (!Array.isArray(value)) return labelProblem(property, String(value))?.message ?? `${property} is not a label`;
          const i = value.findIndex((v) => typeof v === 'string' && labelProblem('', v) !== null);
          return labelProblem(`${property}[${i}]`, String(value[i]))?.message ?? `${property} holds an item that is not a label`;
        },
      },
    },
    options,
  );
}

const LABEL_DOC = `; at most ${LABEL_MAX} characters of ${LABEL_CHARACTERS_RULE}; never personal data (no My Number, telephone, e-mail or address)`;

export function Label(required = true, description = 'label'): Decorator {
  return all(
    doc(required, { type: String, minLength: 1, maxLength: LABEL_MAX, description: `${description}${LABEL_DOC}` }),
    ...optional(required),
    IsString(),
    MinLength(1),
    MaxLength(LABEL_MAX),
    IsFreeLabel(),
  );
}

/**
 * A reference to a document (certificateRef, reference, applicationRef): the ID pattern, so no
 * free text, and not an ID that is personal data itself (a bare My Number or telephone number).
 */
export function Reference(required = true, description = 'document reference'): Decorator {
  return all(LedgerId(required, `${description}, as a code`), IsFreeLabel());
}

export function OneOf(values: readonly string[], required = true, description?: string): Decorator {
  return all(
    doc(required, { enum: [...values], description }),
    ...optional(required),
    IsIn([...values], { message: ({ property }) => `${property} must be one of ${values.join(', ')}` }),
  );
}

export function Flag(required = true, description?: string): Decorator {
  return all(doc(required, { type: Boolean, description }), ...optional(required), IsBoolean());
}

export function Count(required = true, description?: string): Decorator {
  return all(
    doc(required, { type: Number, minimum: 0, description }),
    ...optional(required),
    IsInt(),
    Min(0),
    Max(1_000_000_000),
  );
}

export function IdList(options: { required?: boolean; min?: number; description: string }): Decorator {
  const required = options.required ?? true;
  return all(
    doc(required, { type: [String], minItems: options.min ?? 0, maxItems: LIST_MAX, description: `${options.description}; each ${ID_RULE}` }),
    ...optional(required),
    IsArray(),
    ArrayMinSize(options.min ?? 0),
    ArrayMaxSize(LIST_MAX),
    ArrayUnique(),
    IsString(each),
    Matches(ID_PATTERN, { each: true, message: ({ property }) => `each item of ${property} must be ${ID_RULE}` }),
  );
}

export function LabelList(options: { required?: boolean; min?: number; description: string }): Decorator {
  const required = options.required ?? true;
  return all(
    doc(required, { type: [String], minItems: options.min ?? 0, maxItems: 1_000, description: `${options.description}; each item${LABEL_DOC}` }),
    ...optional(required),
    IsArray(),
    ArrayMinSize(options.min ?? 0),
    ArrayMaxSize(1_000),
    ArrayUnique(),
    IsString(each),
    MinLength(1, each),
    MaxLength(LABEL_MAX, each),
    IsFreeLabel(each),
  );
}

export function SubsetOf(values: readonly string[], options: { required?: boolean; min?: number; description: string }): Decorator {
  const required = options.required ?? true;
  return all(
    doc(required, { isArray: true, enum: [...values], description: options.description }),
    ...optional(required),
    IsArray(),
    ArrayMinSize(options.min ?? 0),
    ArrayUnique(),
    IsIn([...values], { each: true, message: ({ property }) => `each item of ${property} must be one of ${values.join(', ')}` }),
  );
}

export function Nested(type: () => new () => object, required = true, description?: string): Decorator {
  return all(
    // A lazy type must be a function named `type` for @nestjs/swagger to call it; otherwise the
    // function itself is taken for the class and the schema is referenced with an empty name.
    doc(required, { type: () => type(), description }),
    ...optional(required),
    IsObject({ message: ({ property }) => `${property} must be an object` }),
    ValidateNested(),
    Type(type),
    (target, key) => registerNestedType(target.constructor, String(key), type),
  );
}
