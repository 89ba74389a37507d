/**
 * The analyzer's findings by cell id: the one place where a finding, found
 * at a cell's index in the cells analyzed, gets the cell's id (its key in
 * the cell delta), and the one place "did this cell's findings change?" is
 * asked. The worker's host (what to send) and the main-thread fallback both
 * use it; after it, a cell's findings keep their shape and identity up to
 * the editor.
 */
import type {
  CellFindings,
  ICellFinding,
  ICellTextEdit,
  IFinding
} from '../analyzer/types';

const NONE: readonly ICellFinding[] = [];

/** One notebook's findings by cell id, from one run to the next. */
export class CellFindingsSplitter {
  /** The findings of the last run, by cell key (see `cellKeys`). */
  get cells(): CellFindings {
    return this._cells;
  }

  /**
   * Split `findings` (sorted by position, `cell` indexing `keys`) by cell
   * key. Returns the cells whose findings differ from the last run (in
   * notebook order; `[]`: it has none any more); `cells` is then the new
   * map, or the same map as before when nothing changed. A cell whose
   * findings did not change keeps the same array.
   */
  update(
    findings: readonly IFinding[],
    keys: readonly string[]
  ): [string, readonly ICellFinding[]][] {
    const previous = this._cells;
    const next = new Map<string, readonly ICellFinding[]>();
    const changed: [string, readonly ICellFinding[]][] = [];
    let at = 0;
    keys.forEach((key, index) => {
      const first = at;
      while (at < findings.length && findings[at].cell === index) {
        at++;
      }
      const before = previous.get(key) ?? NONE;
      let now = this._cellFindings(findings, first, at, key, keys, before);
      if (now === before || sameFindings(before, now)) {
        now = before;
      } else {
        changed.push([key, now]);
      }
      if (now.length > 0) {
        next.set(key, now);
      }
    });
    // the same map when no cell changed and none with findings is gone
    if (changed.length > 0 || next.size !== previous.size) {
      this._cells = next;
    }
    return changed;
  }

  /**
   * `findings[first..end)` located in cell `key`: `before` itself while they
   * are its very objects (most cells on most runs), without a new array.
   */
  private _cellFindings(
    findings: readonly IFinding[],
    first: number,
    end: number,
    key: string,
    keys: readonly string[],
    before: readonly ICellFinding[]
  ): readonly ICellFinding[] {
    if (end === first) {
      return NONE;
    }
    if (end - first === before.length) {
      let i = first;
      while (
        i < end &&
        this._locate(findings[i], key, keys) === before[i - first]
      ) {
        i++;
      }
      if (i === end) {
        return before;
      }
    }
    const located: ICellFinding[] = [];
    for (let i = first; i < end; i++) {
      located.push(this._locate(findings[i], key, keys)); // (cached)
    }
    return located;
  }

  /** Forget the last run: the next `update` lists every cell with findings. */
  reset(): void {
    this._cells = new Map();
  }

  /**
   * `finding` with its cell's id. The engine hands back the same object for
   * an unchanged finding: so does this, so that comparing costs nothing.
   */
  private _locate(
    finding: IFinding,
    key: string,
    keys: readonly string[]
  ): ICellFinding {
    const known = this._located.get(finding);
    if (
      known?.cellId === key &&
      (known.fix?.edits ?? []).every(edit => edit.cellId === keys[edit.cell])
    ) {
      return known;
    }
    const located: ICellFinding = {
      ...finding,
      cellId: key,
      fix: finding.fix && {
        description: finding.fix.description,
        edits: finding.fix.edits.map((edit): ICellTextEdit => ({
          ...edit,
          cellId: keys[edit.cell] ?? ''
        }))
      }
    };
    this._located.set(finding, located);
    return located;
  }

  private _cells: CellFindings = new Map();
  private _located = new WeakMap<IFinding, ICellFinding>();
}

/**
 * Equal findings: the same objects (unchanged findings keep their object),
 * else the same JSON (a rule may rebuild an equal one).
 */
function sameFindings(
  a: readonly ICellFinding[],
  b: readonly ICellFinding[]
): boolean {
  if (a.length !== b.length) {
    return false;
  }
  return (
    a.every((finding, i) => finding === b[i]) ||
    JSON.stringify(a) === JSON.stringify(b)
  );
}
