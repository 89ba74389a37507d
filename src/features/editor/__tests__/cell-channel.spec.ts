import type { EditorView } from '@codemirror/view';
import { CellChannel } from '../cell-channel';
import { CellViews } from '../cell-views';

/** A view is only an identity here: the channel hands it to `push`. */
const view = (name: string) => ({ name }) as unknown as EditorView;

describe('CellChannel', () => {
  it('pushes a cell state to its views now and to views attached later', async () => {
    const views = new CellViews();
    const pushed: [unknown, string, string][] = [];
    const channel = new CellChannel<string>(views, {
      push: (v, value, cellId) =>
        pushed.push([(v as unknown as { name: string }).name, value, cellId])
    });
    views.attach('a', view('first'));
    channel.set('a', 'x');
    channel.set('b', 'y'); // no editor yet
    expect(pushed).toEqual([['first', 'x', 'a']]);
    views.attach('b', view('second'));
    expect(pushed).toHaveLength(1); // not while the view is constructed
    await Promise.resolve();
    expect(pushed).toEqual([
      ['first', 'x', 'a'],
      ['second', 'y', 'b']
    ]);
    expect(channel.cellIds()).toEqual(['a', 'b']);
  });

  it('pushes empty values without keeping them, and forgets on request', async () => {
    const views = new CellViews();
    const push = jest.fn();
    const channel = new CellChannel<string | null>(views, {
      push,
      isEmpty: value => value === null
    });
    views.attach('a', view('v'));
    channel.set('a', 'x');
    channel.set('a', null);
    expect(push).toHaveBeenCalledTimes(2);
    expect(channel.get('a')).toBeUndefined();
    channel.set('b', 'y');
    channel.forget('b');
    views.attach('a', view('later-a'));
    views.attach('b', view('later-b'));
    await Promise.resolve();
    expect(push).toHaveBeenCalledTimes(2);
  });

  it('tells the feature when the user edits a view of a cell it has state for', () => {
    const views = new CellViews();
    const edited = jest.fn();
    const channel = new CellChannel<string>(views, {
      push: () => undefined,
      edited
    });
    const v = view('v');
    views.attach('a', v);
    views.markEdited('a', v); // no state yet: nothing to tell
    channel.set('a', 'x');
    views.markEdited('a', v);
    expect(edited).toHaveBeenCalledTimes(1);
    expect(edited).toHaveBeenCalledWith(v, 'x', 'a');
  });
});
