import { Logger, type LoggerService } from '@nestjs/common';

/** Runs `work` with Nest's error lines captured (a test that provokes them on purpose keeps the run's output clean). */
export async function capturingErrors<T>(work: () => Promise<T>): Promise<{ result: T; errors: string[] }> {
  const errors: string[] = [];
  const capture: LoggerService = { log: () => undefined, warn: () => undefined, error: (message: unknown) => errors.push(String(message)) };
  Logger.overrideLogger(capture);
  try {
    return { result: await work(), errors };
  } finally {
    Logger.overrideLogger(['error', 'warn']);
  }
}
