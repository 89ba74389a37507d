import { KernelSession } from '../kernel-session';
import type { HelperConnection } from '../connection';
import { FakeKernel, standardHelper } from './fake-kernel';
import { FakeSessionContext } from './fake-session';

const options = () => ({ autoInject: true, timeoutMs: 200 });

/** Wait until `condition` holds (fails the test after 2 s). */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not reached');
    }
    await new Promise(resolve => setTimeout(resolve, 5));
  }
}

/** Let pending timers and promises run. */
const settle = () => new Promise(resolve => setTimeout(resolve, 30));

/** A session on a fake context, recording every connection it announced. */
async function started(context = new FakeSessionContext()) {
  const session = new KernelSession(context.asContext, options);
  const announced: (HelperConnection | null)[] = [];
  session.connectionChanged.connect((_, c) => announced.push(c));
  await until(() => session.connection?.state === 'ready');
  return { context, session, announced, kernel: context.kernel! };
}

describe('KernelSession', () => {
  it('opens exactly one connection to a running kernel', async () => {
    const { session, kernel } = await started();
    expect(kernel.comms).toHaveLength(1);
    expect(session.connection?.kernel).toBe(kernel.asKernel);
  });

  it('opens nothing while a restart is in flight, then one connection to the new process', async () => {
    const { context, session, announced, kernel } = await started();
    const before = session.connection!;
    await context.restart();
    await until(() => session.connection?.state === 'ready');
    // The old process's last busy/idle did not open a comm: only the
    // first one and the one to the restarted kernel exist.
    expect(kernel.comms).toHaveLength(2);
    expect(kernel.comms[0].isDisposed).toBe(true);
    expect(before.state).toBe('disposed');
    expect(announced).toEqual([before, null, session.connection]);
  });

  it('survives five restarts in a row with one live comm each time', async () => {
    const { context, session, kernel } = await started();
    for (let i = 0; i < 5; i++) {
      await context.restart();
      await until(() => session.connection?.state === 'ready');
    }
    await settle();
    expect(kernel.comms).toHaveLength(6);
    expect(kernel.comms.filter(comm => !comm.isDisposed)).toHaveLength(1);
  });

  it('waits for the reconnection after an autorestart', async () => {
    const { context, session, kernel } = await started();
    context.setStatus('autorestarting');
    expect(session.connection).toBeNull();
    // Statuses before the websocket reconnected say nothing about the
    // new process.
    context.setStatus('idle');
    await settle();
    expect(session.connection).toBeNull();
    context.setConnectionStatus('connecting');
    context.setConnectionStatus('connected');
    context.setStatus('idle');
    await until(() => session.connection?.state === 'ready');
    expect(kernel.comms).toHaveLength(2);
  });

  it('drops the connection when another notebook restarted the kernel', async () => {
    const { context, session, kernel } = await started();
    const before = session.connection;
    // This notebook sees no 'restarting', only the new process starting.
    context.setStatus('starting');
    expect(session.connection).toBeNull();
    expect(before?.state).toBe('disposed');
    context.setStatus('idle');
    await until(() => session.connection?.state === 'ready');
    expect(kernel.comms).toHaveLength(2);
  });

  it('holds no connection to a dead kernel', async () => {
    const { context, session } = await started();
    context.setStatus('dead');
    expect(session.connection).toBeNull();
    context.kernel!.isDisposed = true;
    context.statusChanged.emit('idle');
    await settle();
    expect(session.connection).toBeNull();
  });

  it('connects to the new kernel after a kernel change and closes the old comm', async () => {
    const { context, session, kernel } = await started();
    const other = new FakeKernel(standardHelper());
    context.changeKernel(other);
    await until(() => session.connection?.state === 'ready');
    expect(session.connection?.kernel).toBe(other.asKernel);
    expect(kernel.comms[0].isDisposed).toBe(true);
    expect(other.comms).toHaveLength(1);
    context.changeKernel(null);
    expect(session.connection).toBeNull();
    expect(other.comms[0].isDisposed).toBe(true);
  });

  it('keeps its connection when the same kernel is announced again', async () => {
    const { context, session, kernel } = await started();
    const current = session.connection;
    const same = kernel.asKernel;
    context.kernelChanged.emit({
      name: 'kernel',
      oldValue: same,
      newValue: same
    });
    await settle();
    expect(session.connection).toBe(current);
    expect(kernel.comms).toHaveLength(1);
  });

  it('says the helper closed the comm, then opens a new connection', async () => {
    const { session, kernel } = await started();
    const first = session.connection!;
    const states: string[] = [];
    first.stateChanged.connect((_, state) => states.push(state));
    kernel.comms[0].close(); // the helper closed its end
    expect(first.state).toBe('closed');
    expect(states[0]).toBe('closed');
    await until(
      () =>
        session.connection !== first && session.connection?.state === 'ready'
    );
    expect(first.state).toBe('disposed');
    expect(kernel.comms).toHaveLength(2);
  });

  it('leaves nothing behind once disposed', async () => {
    const { context, session, kernel } = await started();
    const connection = session.connection!;
    session.dispose();
    expect(session.isDisposed).toBe(true);
    expect(session.connection).toBeNull();
    expect(connection.state).toBe('disposed');
    expect(kernel.comms[0].isDisposed).toBe(true);
    context.setStatus('idle');
    context.changeKernel(new FakeKernel(standardHelper()));
    await settle();
    expect(session.connection).toBeNull();
  });

  it('reconnect() replaces the connection with exactly one new one', async () => {
    const { session, kernel } = await started();
    const first = session.connection;
    session.reconnect();
    await until(() => session.connection?.state === 'ready');
    expect(session.connection).not.toBe(first);
    expect(kernel.comms.filter(comm => !comm.isDisposed)).toHaveLength(1);
  });
});
