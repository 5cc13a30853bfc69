import { QueryRunnerAlreadyReleasedError } from 'typeorm';
import { ConnectionLostError, connectionLostIfReleased, isDatabaseUnavailable } from './database-pool.js';

describe('connectionLostIfReleased: a query runner TypeORM released by itself', () => {
  it('given a runner released under its owner, when it throws QueryRunnerAlreadyReleasedError, then the error is the connection lost (class 08, unavailable), carrying the original', () => {
    const original = new QueryRunnerAlreadyReleasedError();
    expect(isDatabaseUnavailable(original)).toBe(false);
    const thrown = connectionLostIfReleased({ isReleased: true }, original);
    expect(thrown).toBeInstanceOf(ConnectionLostError);
    expect(thrown).toMatchObject({ code: '08006', cause: original });
    expect(isDatabaseUnavailable(thrown)).toBe(true);
  });

  it.each([
    ['a runner still held (the owner would be using it after a release of its own: a bug, kept visible)', false, new QueryRunnerAlreadyReleasedError()],
    ['any other error of a released runner', true, new Error('syntax error at or near "SELEC"')],
    ['a value that is not an error', true, null],
  ])('given %s, then the error is thrown as it is', (_, isReleased, error) => {
    expect(connectionLostIfReleased({ isReleased }, error)).toBe(error);
  });
});
