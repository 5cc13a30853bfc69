import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { MetricsRegistry } from './metrics.registry.js';

/**
 * Counts every answered request by method, route pattern and status (a Fastify onResponse hook:
 * it also sees what guards, filters and unknown routes answer, which interceptors do not).
 */
@Injectable()
export class HttpMetricsHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MetricsRegistry,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions?.url ?? '(unmatched)';
      this.metrics.countRequest(request.method, route, reply.statusCode);
      done();
    });
  }
}
