import { ByteBudget } from './request-limits.js';

describe('the in-flight body budget', () => {
  const MB = 1024 * 1024;

  it('grants large bodies first come first served, holds them until bytes are released, and gives up after the wait', async () => {
    const budget = new ByteBudget(100 * MB);
    expect(await budget.acquire(60 * MB, 1_000)).toBe(true);
    const second = budget.acquire(60 * MB, 1_000);
    const third = budget.acquire(30 * MB, 1_000);
    let settled = false;
    void second.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    // The third would fit, but waits behind the second: no starvation of the largest bodies.
    expect(settled).toBe(false);
    budget.release(60 * MB);
    expect(await second).toBe(true);
    expect(await third).toBe(true);
    expect(await budget.acquire(20 * MB, 30)).toBe(false);
    budget.release(60 * MB);
    budget.release(30 * MB);
    expect(await budget.acquire(100 * MB, 30)).toBe(true);
  });

  it('lets a small body past a queue of large ones when it fits', async () => {
    const budget = new ByteBudget(100 * MB);
    expect(await budget.acquire(60 * MB, 1_000)).toBe(true);
    const large = budget.acquire(60 * MB, 1_000);
    expect(await budget.acquire(2_000, 10)).toBe(true);
    budget.release(60 * MB);
    expect(await large).toBe(true);
  });
});
