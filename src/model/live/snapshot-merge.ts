/**
 * Applying snapshot replies (protocol 1.1): a full reply replaces what we
 * had; a delta reply (`delta: true`) lists only the variables added or
 * changed since the reply we said we had (`since`) and the names removed.
 */
import type { Snapshot, Variable } from '../../kernel/protocol';

/**
 * The full snapshot after applying `reply` to `previous`. A delta whose
 * base we do not have is not applied (null): ask again without `since`.
 */
export function applySnapshot(
  previous: Snapshot | null,
  reply: Snapshot
): Snapshot | null {
  if (!reply.delta) {
    return reply;
  }
  if (!previous) {
    return null;
  }
  const byName = new Map<string, Variable>(
    previous.variables.map(variable => [variable.name, variable])
  );
  for (const name of reply.removed ?? []) {
    byName.delete(name);
  }
  for (const variable of reply.variables) {
    byName.set(variable.name, variable);
  }
  return {
    ...reply,
    variables: [...byName.values()],
    delta: false,
    removed: []
  };
}
