import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { leafHash } from '../hashing.js';

// Test support: the transparency-dev/merkle vectors copied into this library, located relative to
// this file so the tests run on any clone.
export const RFC6962_FIXTURES = fileURLToPath(new URL('../../test-fixtures/rfc6962/', import.meta.url));

/** Leaves of the RFC 6962 reference tree the vectors were generated from (transparency-dev/merkle testonly). */
export const RFC6962_LEAVES: readonly Buffer[] = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((hex) => Buffer.from(hex, 'hex'));

export const RFC6962_LEAF_HASHES: readonly Buffer[] = RFC6962_LEAVES.map((leaf) => leafHash(leaf));

export interface InclusionVector {
  readonly file: string;
  readonly leafIdx: number;
  readonly treeSize: number;
  readonly root: Buffer;
  readonly leafHash: Buffer;
  readonly proof: Buffer[];
  readonly wantErr: boolean;
}

export interface ConsistencyVector {
  readonly file: string;
  readonly size1: number;
  readonly size2: number;
  readonly root1: Buffer;
  readonly root2: Buffer;
  readonly proof: Buffer[];
  readonly wantErr: boolean;
}

interface RawVector {
  [field: string]: unknown;
  proof: string[] | null;
  wantErr: boolean;
}

function readVectors(kind: 'inclusion' | 'consistency'): Array<{ file: string; raw: RawVector }> {
  const root = join(RFC6962_FIXTURES, kind);
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({
      file: relative(RFC6962_FIXTURES, join(root, name)),
      raw: JSON.parse(readFileSync(join(root, name), 'utf8')) as RawVector,
    }));
}

const b64 = (value: unknown): Buffer => Buffer.from(value as string, 'base64');

export function inclusionVectors(): InclusionVector[] {
  return readVectors('inclusion').map(({ file, raw }) => ({
    file,
    leafIdx: raw.leafIdx as number,
    treeSize: raw.treeSize as number,
    root: b64(raw.root),
    leafHash: b64(raw.leafHash),
    proof: (raw.proof ?? []).map(b64),
    wantErr: raw.wantErr,
  }));
}

export function consistencyVectors(): ConsistencyVector[] {
  return readVectors('consistency').map(({ file, raw }) => ({
    file,
    size1: raw.size1 as number,
    size2: raw.size2 as number,
    root1: b64(raw.root1),
    root2: b64(raw.root2),
    proof: (raw.proof ?? []).map(b64),
    wantErr: raw.wantErr,
  }));
}

export function readFixtureReadme(): string {
  return readFileSync(join(RFC6962_FIXTURES, 'README.md'), 'utf8');
}
