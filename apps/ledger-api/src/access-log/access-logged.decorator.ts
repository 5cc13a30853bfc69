import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { AccessLogInterceptor } from './access-log.interceptor.js';

export const ACCESS_LOGGED = 'ledger:access-logged';

/**
 * Every answer of the route is recorded in the access log (who: key ID and role; what: route,
 * contractId, recordId, asOf, knownAt and the other query parameters; when; the status) before
 * it leaves. Put it on any read of personal-data metadata, e.g. the compliance routes:
 *
 *   @Get('records/:recordId/compliance') @RequireRole('officer') @AccessLogged()
 */
export function AccessLogged(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(ACCESS_LOGGED, true), UseInterceptors(AccessLogInterceptor));
}
