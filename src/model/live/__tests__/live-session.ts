/**
 * Just what the live models read of a kernel session (its connection and
 * the kernel's status), driven by the tests.
 */
import type { Kernel } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';
import type { HelperConnection } from '../../../kernel/connection';
import type { KernelSession } from '../../../kernel/kernel-session';

export class FakeSession {
  connection: HelperConnection | null = null;
  kernelBusy = false;
  readonly connectionChanged = new Signal<this, HelperConnection | null>(this);
  readonly kernelStatusChanged = new Signal<this, Kernel.Status>(this);

  setConnection(connection: HelperConnection | null): void {
    this.connection = connection;
    this.connectionChanged.emit(connection);
  }

  setStatus(status: Kernel.Status): void {
    this.kernelBusy = status === 'busy';
    this.kernelStatusChanged.emit(status);
  }

  get asSession(): KernelSession {
    return this as unknown as KernelSession;
  }
}
