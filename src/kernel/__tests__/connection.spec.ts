import { HelperConnection, HelperError } from '../connection';
import { FakeKernel, standardHelper } from './fake-kernel';
import { PROTOCOL_VERSION } from '../protocol';

const options = { autoInject: true, timeoutMs: 200 };

describe('HelperConnection', () => {
  it('shakes hands with an installed helper', async () => {
    const kernel = new FakeKernel(standardHelper());
    const connection = new HelperConnection(kernel.asKernel, options);
    await expect(connection.connect()).resolves.toBe('ready');
    expect(connection.hello?.helper_version).toBe('0.1.0');
    expect(connection.supports('cell-events')).toBe(true);
    expect(kernel.sent[0]).toMatchObject({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      id: 1
    });
    expect(kernel.executed).toHaveLength(0);
  });

  it('injects the bootstrap when the kernel has no helper, then connects', async () => {
    const helper = standardHelper();
    helper.installed = false;
    const kernel = new FakeKernel(helper);
    const connection = new HelperConnection(kernel.asKernel, options);
    await expect(connection.connect()).resolves.toBe('ready');
    expect(kernel.executed).toHaveLength(1);
    expect(kernel.comms).toHaveLength(2);
  });

  it('does not inject when the setting is off', async () => {
    const helper = standardHelper();
    helper.installed = false;
    const kernel = new FakeKernel(helper);
    const connection = new HelperConnection(kernel.asKernel, {
      ...options,
      autoInject: false
    });
    await expect(connection.connect()).resolves.toBe('unavailable');
    expect(kernel.executed).toHaveLength(0);
    expect(connection.message).toMatch(/injection is turned off/);
  });

  it('says unavailable when injection does not register the helper', async () => {
    const helper = standardHelper();
    helper.installed = false;
    const kernel = new FakeKernel(helper);
    kernel.bootstrapInstalls = false;
    const connection = new HelperConnection(kernel.asKernel, options);
    await expect(connection.connect()).resolves.toBe('unavailable');
  });

  it('reports another major protocol version clearly', async () => {
    const kernel = new FakeKernel(standardHelper('2.0'));
    const connection = new HelperConnection(kernel.asKernel, options);
    await expect(connection.connect()).resolves.toBe('incompatible');
    expect(connection.message).toMatch(/protocol mismatch/);
    expect(kernel.executed).toHaveLength(0);
  });

  it('offers static analysis only for non-Python kernels', async () => {
    const kernel = new FakeKernel(standardHelper(), 'R');
    const connection = new HelperConnection(kernel.asKernel, options);
    await expect(connection.connect()).resolves.toBe('not-python');
    expect(connection.message).toMatch(/only static analysis/);
    expect(kernel.comms).toHaveLength(0);
  });

  it('rejects ok:false replies with the helper message', async () => {
    const kernel = new FakeKernel(standardHelper());
    const connection = new HelperConnection(kernel.asKernel, options);
    await connection.connect();
    const request = connection.request('delete', { name: '1x' });
    await expect(request).rejects.toThrow('`1x` is not a valid identifier');
    await expect(request).rejects.toBeInstanceOf(HelperError);
  });

  it('times out requests the helper never answers', async () => {
    const kernel = new FakeKernel(standardHelper());
    const connection = new HelperConnection(kernel.asKernel, options);
    await connection.connect();
    await expect(connection.request('timeline', {}, 50)).rejects.toThrow(
      /did not answer "timeline"/
    );
  });

  it('fails pending requests and emits nothing more once disposed', async () => {
    const kernel = new FakeKernel(standardHelper());
    const connection = new HelperConnection(kernel.asKernel, options);
    await connection.connect();
    const pending = connection.request('timeline', {}, 5000);
    connection.dispose();
    await expect(pending).rejects.toThrow(/closed/);
    expect(connection.state).toBe('disposed');
    await expect(connection.request('snapshot', {})).rejects.toThrow(
      /not connected/
    );
  });

  it('forwards cell events', async () => {
    const kernel = new FakeKernel(standardHelper());
    const connection = new HelperConnection(kernel.asKernel, options);
    await connection.connect();
    const events: unknown[] = [];
    connection.eventReceived.connect((_, event) => events.push(event));
    const event = {
      protocol: '1.0',
      type: 'event',
      event: 'cell',
      data: {
        seq: 1,
        execution_count: 3,
        cell_id: 'c1',
        started: 1700000000.5,
        duration_ms: 12.5,
        rss_before: 100,
        rss_after: 200,
        peak_rss: 250,
        delta_bytes: 100,
        peak_delta_bytes: 150,
        peak_method: 'vmhwm',
        error: false
      }
    };
    kernel.comms[0].push(event);
    expect(events).toEqual([event]);
  });

  it('checks what the helper sends: a malformed or newer message is an error shown once, not a crash', async () => {
    const kernel = new FakeKernel(standardHelper());
    const connection = new HelperConnection(kernel.asKernel, options);
    await connection.connect();
    const events: unknown[] = [];
    connection.eventReceived.connect((_, event) => events.push(event));
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const comm = kernel.comms[0];
      expect(() => comm.pushRaw('not json')).not.toThrow();
      expect(() => comm.pushRaw(null)).not.toThrow();
      comm.pushRaw({ protocol: '1.0', type: 'event', event: 'cell' });
      comm.pushRaw({ protocol: '2.0', type: 'event', event: 'x', data: {} });
      comm.pushRaw({ type: 'snapshot_reply', id: 1, ok: true });
      expect(events).toEqual([]);
      expect(warn).toHaveBeenCalledTimes(1);
      // a reply of a newer major protocol to a pending request fails that
      // request with the reason, instead of being read as ours
      kernel.checked = false;
      kernel.helper.answer = request => ({
        protocol: '2.0',
        id: request.id,
        type: `${request.type}_reply`,
        ok: true
      });
      await expect(connection.request('collect', {})).rejects.toThrow(
        /protocol 2\.0/
      );
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
  });

  it('reopens a comm routed to a subshell the kernel does not know', async () => {
    const kernel = new FakeKernel(standardHelper());
    kernel.staleSubshellOpens = 1;
    const connection = new HelperConnection(kernel.asKernel, options);
    await expect(connection.connect()).resolves.toBe('ready');
    expect(kernel.comms).toHaveLength(2);
    // The stale comm is let go without a comm_close the kernel cannot
    // route, and the helper (which is installed) is not injected again.
    expect(kernel.comms[0].isDisposed).toBe(true);
    expect(kernel.comms[1].isDisposed).toBe(false);
    expect(kernel.executed).toHaveLength(0);
  });

  it('gives up on stale subshells after a few attempts', async () => {
    const kernel = new FakeKernel(standardHelper());
    kernel.staleSubshellOpens = 10;
    const connection = new HelperConnection(kernel.asKernel, options);
    await expect(connection.connect()).resolves.toBe('unavailable');
    expect(connection.message).toMatch(/subshell that no longer exists/);
    expect(kernel.comms).toHaveLength(3);
    // The helper is there: sending it again would not help.
    expect(kernel.executed).toHaveLength(0);
  });

  it('is no longer ready once the helper closes the comm', async () => {
    const kernel = new FakeKernel(standardHelper());
    const connection = new HelperConnection(kernel.asKernel, options);
    await connection.connect();
    const pending = connection.request('timeline', {}, 5000);
    kernel.comms[0].close();
    expect(connection.state).toBe('closed');
    expect(connection.message).toMatch(/closed the connection/);
    await expect(pending).rejects.toThrow(/closed the connection/);
    await expect(connection.request('snapshot', {})).rejects.toThrow(
      /not connected/
    );
  });

  it('explains that another notebook holds the comms of a shared kernel', async () => {
    const kernel = new FakeKernel(standardHelper());
    kernel.handleComms = false;
    const connection = new HelperConnection(kernel.asKernel, options);
    await expect(connection.connect()).resolves.toBe('unavailable');
    expect(connection.message).toMatch(/Another notebook/);
    expect(kernel.comms).toHaveLength(0);
    expect(kernel.executed).toHaveLength(0);
  });
});
