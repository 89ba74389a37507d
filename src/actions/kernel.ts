/**
 * The kernel actions of memlens — free a variable, collect garbage, clear
 * IPython's caches, close figures, release memory to the OS — with one
 * confirmation and one result notification, whoever asks: the panel, a
 * finding's quick fix or a command.
 */
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { isAliasHolder } from '../kernel/holders';
import type { KernelAction } from '../notebook/live-model';
import type { NotebookMemlens } from '../notebook/notebook-memlens';
import { describeAction, describeFree } from '../ui/format';

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
  memlens: NotebookMemlens,
  name: string,
  confirmed?: () => void
): Promise<IActionOutcome | null> {
  const variable = memlens.live.snapshot?.variables.find(v => v.name === name);
  const aliases = (variable?.held_by ?? []).filter(isAliasHolder);
  if (aliases.length > 0) {
    const answer = await showDialog({
      title: `Free ${name}?`,
      body: `Other variables still hold the same object: ${aliases.join(', ')}. Deleting ${name} frees no memory until they are deleted too.`,
      buttons: [
        Dialog.cancelButton(),
        Dialog.warnButton({ label: `del ${name}` })
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
      throw new Error(reply.error ?? `${name} was not deleted.`);
    }
    const { text, offerRelease } = describeFree(name, reply);
    return notify({
      ok: true,
      text,
      freedBytes: reply.freed_bytes ?? 0,
      offerRelease
    });
  } catch (reason) {
    return notify(failure(`Could not free ${name}: ${messageOf(reason)}`));
  }
}

/** Run one of the kernel-wide actions and report what it did. */
export async function runKernelAction(
  memlens: NotebookMemlens,
  action: KernelAction
): Promise<IActionOutcome> {
  try {
    const result = await memlens.live.act(action);
    const text = describeAction(action, result);
    const ok = !('error' in result && result.error);
    return notify({ ok, text, freedBytes: null, offerRelease: false });
  } catch (reason) {
    return notify(failure(messageOf(reason)));
  }
}

function failure(text: string): IActionOutcome {
  return { ok: false, text, freedBytes: null, offerRelease: false };
}

function notify(outcome: IActionOutcome): IActionOutcome {
  if (outcome.ok) {
    Notification.success(`memlens: ${outcome.text}`, { autoClose: 8000 });
  } else {
    Notification.error(`memlens: ${outcome.text}`, { autoClose: 8000 });
  }
  return outcome;
}

function messageOf(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
