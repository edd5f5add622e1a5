// A resource service as the data-service builds it: Fastify + PlatformModule + the @runnerly/auth
// guard against the real token-dealer's JWKS and revocation list, one guarded and one open route.
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Module } from '@nestjs/common';
import { AuthModule, Public, Scopes } from '@runnerly/auth';
import { createFastifyService, PlatformModule } from '@runnerly/platform';

@Controller()
class ProbeController {
  @Get('guarded')
  @Scopes('runs:read')
  guarded() {
    return { ok: true };
  }

  @Get('open')
  @Public()
  open() {
    return { ok: true };
  }
}

@Module({
  imports: [
    PlatformModule.forRoot({ service: 'bench-guarded', logLevel: 'warn' }),
    AuthModule.forRoot({
      issuer: process.env.BENCH_ISSUER!,
      audience: 'data-service',
      jwksUrl: `${process.env.BENCH_TOKEN_DEALER_URL}/.well-known/jwks.json`,
      redisUrl: process.env.BENCH_REDIS_URL,
    }),
  ],
  controllers: [ProbeController],
})
class BenchModule {}

const app = await createFastifyService(BenchModule, { title: 'bench' });
await app.listen(0, '127.0.0.1');
process.stdout.write(`listening ${(app.getHttpServer().address() as AddressInfo).port}\n`);
