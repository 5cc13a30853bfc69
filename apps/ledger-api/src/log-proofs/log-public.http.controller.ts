import { Controller, Get, Headers, Query as QueryParams, Req, Res, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidRequestError, NotFoundError } from '@ledger/domain';
import { parseTilePath } from '@ledger/integrity';
import { PublicRateLimitGuard } from '../http/public-rate-limit.guard.js';
import { QueryReader } from '../http/query.js';
import { ReadCheckpointQuery, ReadPublicKeyQuery, ReadTileQuery, type CheckpointAnswer, type PublicKeyAnswer } from './log-proofs.queries.js';

/** Tiles never change once served (a partial tile of width W is always the same W hashes). */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The latest checkpoint changes every few seconds while events arrive (tlog-tiles: "a few seconds"). */
const MUTABLE = 'public, max-age=2';

/**
 * The public, read-only face of the Merkle log (docs/log-format.md), without credentials and
 * rate-limited per client: the latest checkpoint with its witness cosignatures (C2SP
 * tlog-checkpoint, text/plain), the hash tiles (C2SP tlog-tiles) from which any client computes
 * its own proofs, and the log's keys. Hashes only: event contents stay behind credentials.
 */
@ApiTags('log (public)')
@Controller('v1/log')
@UseGuards(PublicRateLimitGuard)
export class LogPublicController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('public-key')
  @ApiOperation({ summary: "The log's public key (note verifier key) and key ID, and every key it has used with the tree sizes each may sign; no credentials" })
  publicKey(@QueryParams() query: Record<string, unknown>): Promise<PublicKeyAnswer> {
    new QueryReader(query, []).done();
    return this.queryBus.execute(new ReadPublicKeyQuery());
  }

  @Get('checkpoint')
  @ApiOperation({
    summary:
      'The latest signed checkpoint (C2SP tlog-checkpoint) with its witness cosignatures, as text/plain; ' +
      'with Accept: application/json, the same as JSON with its sequence number and signing time; no credentials',
  })
  @ApiProduces('text/plain', 'application/json')
  @ApiQuery({ name: 'treeSize', required: false, description: 'the checkpoint signed at exactly this size' })
  async checkpoint(@QueryParams() query: Record<string, unknown>, @Headers('accept') accept: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const q = new QueryReader(query, ['treeSize']);
    const treeSize = q.int('treeSize', 0, 1, Number.MAX_SAFE_INTEGER);
    q.done();
    const answer: CheckpointAnswer = await this.queryBus.execute(new ReadCheckpointQuery(treeSize === 0 ? undefined : treeSize));
    void reply.header('cache-control', MUTABLE).header('vary', 'accept');
    if (prefersJson(accept)) {
      await reply.status(200).header('content-type', 'application/json; charset=utf-8').send(answer);
      return;
    }
    await reply.status(200).header('content-type', 'text/plain; charset=utf-8').send(answer.note);
  }

  @Get('tile/*')
  @ApiOperation({
    summary:
      'A hash tile (C2SP tlog-tiles): /v1/log/tile/<L>/<N>[.p/<W>], N as 3-digit elements with x on all but the last ' +
      '(e.g. tile/0/x001/x234/067.p/5); 32-byte hashes concatenated; no credentials',
  })
  @ApiParam({ name: 'path', type: String, description: 'the tile path after tile/: <L>/<N>[.p/<W>]', example: '0/x001/x234/067.p/5' })
  @ApiProduces('application/octet-stream')
  async tile(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const path = request.url.split('?', 1)[0]!.replace(/^.*?\/v1\/log\/tile\//, '');
    const tile = parseTilePath(path);
    if (tile === null) {
      throw new InvalidRequestError([
        { index: null, field: 'path', rule: 'tilePath', message: `tile/${path.slice(0, 80)} is not a tile path: tile/<L>/<N>[.p/<W>] with L 0-63, N in 3-digit elements (x on all but the last), W 1-255 (entry bundles are not public)` },
      ]);
    }
    const bytes: Buffer | null = await this.queryBus.execute(new ReadTileQuery(tile.level, tile.index, tile.width));
    if (bytes === null) throw new NotFoundError(`tile ${path} is not in the log (yet): fetch only the tiles a checkpoint's size needs`);
    await reply.status(200).header('content-type', 'application/octet-stream').header('cache-control', IMMUTABLE).send(bytes);
  }
}

/** JSON only when the client asks for it over text (curl and tile clients get the note). */
function prefersJson(accept: string | undefined): boolean {
  return accept !== undefined && /application\/json/.test(accept) && !/text\/plain/.test(accept);
}
