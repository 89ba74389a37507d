import type { NotebookPanel } from '@jupyterlab/notebook';
import { cellIds, cellIndexOf, cellSourceOf } from '../cells';

/** Just the cell list of a notebook panel. */
function panel(cells: { id: string; source: string }[]): NotebookPanel {
  return {
    context: {
      model: {
        cells: {
          length: cells.length,
          get: (index: number) => ({
            id: cells[index].id,
            sharedModel: { getSource: () => cells[index].source }
          })
        }
      }
    }
  } as unknown as NotebookPanel;
}

describe('notebook cells by id', () => {
  const nb = panel([
    { id: 'a', source: 'x = 1' },
    { id: 'b', source: 'y = 2' }
  ]);

  it('finds a cell and its current source by id', () => {
    expect(cellIndexOf(nb, 'b')).toBe(1);
    expect(cellSourceOf(nb, 'b')).toBe('y = 2');
  });

  it('says when a cell is gone', () => {
    expect(cellIndexOf(nb, 'deleted')).toBe(-1);
    expect(cellSourceOf(nb, 'deleted')).toBeNull();
  });

  it('collects ids, also into an existing set', () => {
    expect([...cellIds(nb)]).toEqual(['a', 'b']);
    const into = new Set(['z']);
    expect(cellIds(nb, into)).toBe(into);
    expect([...into].sort()).toEqual(['a', 'b', 'z']);
  });
});
