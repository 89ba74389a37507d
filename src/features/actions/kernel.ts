/**
 * The kernel actions of memlens — free a variable, collect garbage, clear
 * IPython's caches, close figures, release memory to the OS — with one
 * confirmation and one result notification, whoever asks: the panel, a
 * finding's quick fix or a command.
 */
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { isAliasHolder } from '../../kernel/holders';
import type { KernelAction } from '../../tokens';
import type { INotebookMemlens } from '../../tokens';
import { allocatorNote, describeAction, describeFree } from '../format';
import { trans } from '../../common/i18n';
import { errorMessage } from '../../common/errors';

/** What an action did, in words, for the caller to show next to its button. */
export interface IActionOutcome {
  /** False when the kernel refused or failed. */
  ok: boolean;
  /** One or two sentences for the user (also the notification). */
  text: string;
  /** Bytes freed by a `free`; null otherwise. */
  freedBytes: number | null;
  /** A `free` freed bytes the process did not give back: offer Release to OS. */
  offerRelease: boolean;
}

/**
 * Delete variable `name` in the kernel (clearing `Out[n]`/`_` references to
 * its object) and report the bytes that came back. Asks first when other
 * variables hold the same object (deleting one name then frees nothing).
 *
 * @param confirmed - called once the user agreed, before the kernel is asked.
 * @returns null when the user cancelled.
 */
export async function freeVariable(
  memlens: INotebookMemlens,
  name: string,
  confirmed?: () => void
): Promise<IActionOutcome | null> {
  const variable = memlens.live.snapshot?.variables.find(v => v.name === name);
  const aliases = (variable?.held_by ?? []).filter(isAliasHolder);
  if (aliases.length > 0) {
    const answer = await showDialog({
      title: trans().__('Free %1?', name),
      body: trans().__(
        'Other variables still hold the same object: %1. Deleting %2 frees no memory until they are deleted too.',
        aliases.join(', '),
        name
      ),
      buttons: [
        Dialog.cancelButton(),
        Dialog.warnButton({ label: trans().__('del %1', name) })
      ]
    });
    if (!answer.button.accept) {
      return null;
    }
  }
  confirmed?.();
  try {
    const reply = await memlens.live.free(name);
    if (!reply.deleted) {
      throw new Error(reply.error ?? trans().__('%1 was not deleted.', name));
    }
    const { text, offerRelease } = describeFree(
      name,
      reply,
      allocatorBytes(memlens)
    );
    return notify(
      {
        ok: true,
        text,
        freedBytes: reply.freed_bytes ?? 0,
        offerRelease
      },
      memlens
    );
  } catch (reason) {
    return notify(
      failure(trans().__('Could not free %1: %2', name, errorMessage(reason)))
    );
  }
}

/**
 * Run one of the kernel-wide actions and report what it did, with what
 * stays with the allocator afterwards (then Release to OS is offered).
 */
export async function runKernelAction(
  memlens: INotebookMemlens,
  action: KernelAction
): Promise<IActionOutcome> {
  try {
    const result = await memlens.live.act(action);
    const allocator = allocatorBytes(memlens);
    const text = describeAction(action, result, allocator);
    const ok = !('error' in result && result.error);
    return notify(
      {
        ok,
        text,
        freedBytes: null,
        offerRelease:
          ok && action !== 'release_to_os' && allocatorNote(allocator) !== null
      },
      memlens
    );
  } catch (reason) {
    return notify(failure(errorMessage(reason)));
  }
}

/** The button text of a kernel-wide action, wherever it is offered. */
export function kernelActionLabel(action: KernelAction): string {
  switch (action) {
    case 'collect':
      return trans().__('Collect garbage');
    case 'clear_output_cache':
      return trans().__('Clear output cache');
    case 'clear_last_error':
      return trans().__('Clear last error');
    case 'close_figures':
      return trans().__('Close figures');
    case 'release_to_os':
      return trans().__('Release to OS');
  }
}

/** The kernel-wide actions, to check an action name the helper sent. */
const KERNEL_ACTIONS: ReadonlySet<string> = new Set<KernelAction>([
  'collect',
  'clear_output_cache',
  'clear_last_error',
  'close_figures',
  'release_to_os'
]);

/** Whether `name` (a `fix` the helper sent) is a kernel-wide action. */
export function isKernelAction(name: unknown): name is KernelAction {
  return typeof name === 'string' && KERNEL_ACTIONS.has(name);
}

/** The allocator part of the latest memory explanation, if any. */
function allocatorBytes(memlens: INotebookMemlens): number | null {
  const part = memlens.live.explanation?.parts.find(
    p => p.kind === 'allocator'
  );
  return part?.bytes ?? null;
}

function failure(text: string): IActionOutcome {
  return { ok: false, text, freedBytes: null, offerRelease: false };
}

/**
 * Tell the user what an action did; when memory stays with the allocator,
 * the notification carries the Release to OS button.
 */
function notify(
  outcome: IActionOutcome,
  memlens?: INotebookMemlens
): IActionOutcome {
  if (outcome.ok) {
    Notification.success(trans().__('memlens: %1', outcome.text), {
      autoClose: 8000,
      actions:
        outcome.offerRelease && memlens
          ? [
              {
                label: kernelActionLabel('release_to_os'),
                callback: () => void runKernelAction(memlens, 'release_to_os')
              }
            ]
          : []
    });
  } else {
    Notification.error(trans().__('memlens: %1', outcome.text), {
      autoClose: 8000
    });
  }
  return outcome;
}
