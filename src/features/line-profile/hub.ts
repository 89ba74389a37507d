import type { EditorView } from '@codemirror/view';
import type { ProfileLine, ProfileMethod } from '../../kernel/protocol';
import type { CellViews } from '../editor/cell-views';
import { setLineProfile } from './decorations';

interface IShownProfile {
  /** The source the profile ran on: editors showing other text skip it. */
  readonly source: string;
  readonly lines: readonly ProfileLine[];
  readonly method: ProfileMethod;
}

/**
 * Puts the last line profile of each cell into its editors: when a profile
 * arrives and whenever an editor of the cell is (re)created, as long as the
 * editor still shows the source that ran. An edit clears the marks in the
 * editor (see `decorations.ts`) and here, so a recreated editor does not
 * bring them back.
 */
export class LineProfileHub {
  constructor(readonly views: CellViews) {
    views.attached.connect((_, { cellId, view }) => {
      const shown = this._shown.get(cellId);
      if (shown) {
        // A view cannot be updated while it is being constructed.
        queueMicrotask(() => this._push(view, shown));
      }
    });
    views.edited.connect((_, { cellId, view }) => {
      const shown = this._shown.get(cellId);
      if (shown && view.state.doc.toString() !== shown.source) {
        this._shown.delete(cellId);
      }
    });
  }

  /**
   * Show `lines` (profiled on `source` with `method`) in the editors of
   * `cellId`.
   */
  show(
    cellId: string,
    source: string,
    lines: readonly ProfileLine[],
    method: ProfileMethod = 'tracemalloc'
  ): void {
    const shown = { source, lines, method };
    this._shown.set(cellId, shown);
    for (const view of this.views.viewsOf(cellId)) {
      this._push(view, shown);
    }
  }

  /** Remove the marks of `cellId` from its editors. */
  clear(cellId: string): void {
    this._shown.delete(cellId);
    for (const view of this.views.viewsOf(cellId)) {
      view.dispatch({ effects: setLineProfile.of(null) });
    }
  }

  private _push(view: EditorView, shown: IShownProfile): void {
    if (view.state.doc.toString() === shown.source) {
      view.dispatch({
        effects: setLineProfile.of({ lines: shown.lines, method: shown.method })
      });
    }
  }

  private _shown = new Map<string, IShownProfile>();
}
