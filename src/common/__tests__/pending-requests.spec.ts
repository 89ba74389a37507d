import { PendingRequests } from '../pending-requests';

describe('PendingRequests', () => {
  afterEach(() => jest.useRealTimers());

  it('settles each request once, by its id', async () => {
    const pending = new PendingRequests();
    const a = pending.add<string>(1000, () => undefined);
    const b = pending.add<string>(1000, () => undefined);
    expect([a.id, b.id]).toEqual([1, 2]);
    expect(pending.resolve(b.id, 'b')).toBe(true);
    expect(pending.resolve(b.id, 'again')).toBe(false);
    expect(pending.reject(a.id, new Error('no'))).toBe(true);
    await expect(b.promise).resolves.toBe('b');
    await expect(a.promise).rejects.toThrow('no');
    expect(pending.size).toBe(0);
  });

  it('runs onTimeout only for a request still pending at its time', () => {
    jest.useFakeTimers();
    const pending = new PendingRequests();
    const late = jest.fn((id: number) =>
      pending.reject(id, new Error('timed out'))
    );
    const slow = pending.add(100, late);
    const quick = pending.add(100, late);
    pending.resolve(quick.id, 1);
    slow.promise.catch(() => undefined);
    jest.advanceTimersByTime(100);
    expect(late).toHaveBeenCalledTimes(1);
    expect(late).toHaveBeenCalledWith(slow.id);
    expect(pending.has(slow.id)).toBe(false);
  });

  it('fails everything when the channel closes; ids keep counting', async () => {
    const pending = new PendingRequests();
    const a = pending.add(1000, () => undefined);
    expect(pending.takeId()).toBe(2);
    pending.rejectAll(new Error('closed'));
    await expect(a.promise).rejects.toThrow('closed');
    expect(pending.add(1000, () => undefined).id).toBe(3);
    pending.rejectAll(new Error('done'));
  });
});
