import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { NotFoundError } from '@ledger/domain';

/** The console's only static files: its stylesheet, its script and its icon, in memory, served by the API itself. */
const TYPES: Record<string, string> = { 'console.css': 'text/css; charset=utf-8', 'console.js': 'text/javascript; charset=utf-8', 'favicon.svg': 'image/svg+xml' };
const FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');

interface Asset {
  bytes: Buffer;
  type: string;
  version: string;
}

const ASSETS: ReadonlyMap<string, Asset> = new Map(
  Object.entries(TYPES).map(([name, type]) => {
    const bytes = readFileSync(path.join(FOLDER, name));
    return [name, { bytes, type, version: createHash('sha256').update(bytes).digest('hex').slice(0, 12) }];
  }),
);

/** The URL of an asset, with its content hash: cached for good, a new build is a new URL. */
export function assetUrl(name: keyof typeof TYPES | string): string {
  return `/console/assets/${name}?v=${ASSETS.get(name)?.version ?? '0'}`;
}

@ApiExcludeController()
@Controller('console/assets')
export class ConsoleAssetsController {
  @Get(':name')
  async asset(@Param('name') name: string, @Res() reply: FastifyReply): Promise<void> {
    const asset = ASSETS.get(name);
    if (!asset) throw new NotFoundError(`no console asset ${name.slice(0, 40)}`);
    await reply.status(200).header('content-type', asset.type).header('cache-control', 'public, max-age=31536000, immutable').send(asset.bytes);
  }
}
