import { ByteBudget } from './request-limits.js';

describe('the in-flight body budget', () => {
  it('grants first come first served, holds later requests until bytes are released, and gives up after the wait', async () => {
    const budget = new ByteBudget(100);
    expect(await budget.acquire(60, 1_000)).toBe(true);
    const second = budget.acquire(60, 1_000);
    const third = budget.acquire(10, 1_000);
    let settled = false;
    void second.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    // The small third request waits behind the second: no starvation of large bodies.
    expect(settled).toBe(false);
    budget.release(60);
    expect(await second).toBe(true);
    expect(await third).toBe(true);
    expect(await budget.acquire(40, 30)).toBe(false);
    budget.release(60);
    budget.release(10);
    expect(await budget.acquire(100, 30)).toBe(true);
  });
});
