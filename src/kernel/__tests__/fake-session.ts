/**
 * A fake notebook session context around a FakeKernel, for testing the
 * kernel session's lifecycle handling without JupyterLab.
 */
import type { ISessionContext } from '@jupyterlab/apputils';
import type { Kernel } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';
import { FakeKernel, standardHelper } from './fake-kernel';

/** Just enough of `ISessionContext` for `KernelSession`. */
export class FakeSessionContext {
  constructor(
    public kernel: FakeKernel | null = new FakeKernel(standardHelper())
  ) {}

  readonly kernelChanged = new Signal<
    this,
    {
      name: 'kernel';
      oldValue: Kernel.IKernelConnection | null;
      newValue: Kernel.IKernelConnection | null;
    }
  >(this);
  readonly statusChanged = new Signal<this, Kernel.Status>(this);
  readonly connectionStatusChanged = new Signal<this, Kernel.ConnectionStatus>(
    this
  );
  readonly ready = Promise.resolve();
  isRestarting = false;

  get session(): { kernel: Kernel.IKernelConnection | null } {
    return { kernel: this.kernel?.asKernel ?? null };
  }

  get kernelDisplayStatus(): string {
    return this.kernel?.status ?? 'idle';
  }

  /** The kernel reports a new status (as the session context relays it). */
  setStatus(status: Kernel.Status): void {
    this.kernel!.status = status;
    this.statusChanged.emit(status);
  }

  /** The kernel's websocket changes state. */
  setConnectionStatus(status: Kernel.ConnectionStatus): void {
    this.kernel!.connectionStatus = status;
    this.connectionStatusChanged.emit(status);
  }

  /** Switch to another kernel (or none). */
  changeKernel(kernel: FakeKernel | null): void {
    const oldValue = this.kernel?.asKernel ?? null;
    this.kernel = kernel;
    this.kernelChanged.emit({
      name: 'kernel',
      oldValue,
      newValue: kernel?.asKernel ?? null
    });
  }

  /**
   * What `SessionContext.restartKernel()` and the kernel connection do
   * for a restart from the menu, including the old process's last
   * statuses that arrive while the restart request is in flight (the
   * server takes a while to restart the process).
   */
  async restart(): Promise<void> {
    this.isRestarting = true;
    this.setStatus('restarting');
    this.setStatus('busy'); // the old kernel handles its shutdown request
    this.setStatus('idle');
    await new Promise(resolve => setTimeout(resolve, 20));
    this.setConnectionStatus('connecting');
    this.setStatus('unknown');
    this.setConnectionStatus('connected');
    this.isRestarting = false;
    this.statusChanged.emit('unknown');
    const kernel = this.kernel!.asKernel;
    this.kernelChanged.emit({
      name: 'kernel',
      oldValue: kernel,
      newValue: kernel
    });
    this.setStatus('starting');
    this.setStatus('busy'); // the new kernel answers kernel_info
    this.setStatus('idle');
  }

  /** Typed view for the code under test. */
  get asContext(): ISessionContext {
    return this as unknown as ISessionContext;
  }
}
