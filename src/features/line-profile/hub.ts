import type { EditorView } from '@codemirror/view';
import type { ProfileLine, ProfileMethod } from '../../kernel/protocol';
import { CellChannel } from '../editor/cell-channel';
import type { ICellEditors } from '../../tokens';
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
export class LineProfileHub<V extends ICellEditors = ICellEditors> {
  constructor(readonly views: V) {
    this._channel = new CellChannel<IShownProfile | null>(views, {
      push: (view, shown) => this._push(view, shown),
      isEmpty: shown => shown === null,
      edited: (view, shown, cellId) => {
        if (shown && view.state.doc.toString() !== shown.source) {
          this._channel.forget(cellId);
        }
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
    this._channel.set(cellId, { source, lines, method });
  }

  /** Remove the marks of `cellId` from its editors. */
  clear(cellId: string): void {
    this._channel.set(cellId, null);
  }

  private _push(view: EditorView, shown: IShownProfile | null): void {
    if (shown === null) {
      view.dispatch({ effects: setLineProfile.of(null) });
    } else if (view.state.doc.toString() === shown.source) {
      view.dispatch({
        effects: setLineProfile.of({ lines: shown.lines, method: shown.method })
      });
    }
  }

  private _channel: CellChannel<IShownProfile | null>;
}
