import { perName } from '../dataflow/by-name';
import { analyzeCells, NotebookAnalyzer } from '../../engine/engine';
import type { INotebookDataflow } from '../../types';
import { codeCells, spyRule, testParser } from '../../__tests__/harness';

/** Run the engine with a spy rule and return the notebook dataflow. */
async function flowOf(sources: string[]): Promise<{
  defs: string[][];
  refs: string[][];
  deletes: string[][];
  functionReads: string[];
}> {
  let seen: INotebookDataflow | null = null;
  const spy = spyRule(({ dataflow }) => {
    seen = {
      cells: dataflow.cells.map(c => ({ ...c })),
      functionReads: new Set(dataflow.functionReads)
    };
  });
  analyzeCells(await testParser(), codeCells(sources), { rules: [spy] });
  const flow = seen! as INotebookDataflow;
  return {
    defs: flow.cells.map(c => c.defs.map(d => `${d.name}:${d.kind}`)),
    refs: flow.cells.map(c => c.refs.map(r => r.name)),
    deletes: flow.cells.map(c => c.deletes.map(r => r.name)),
    functionReads: [...flow.functionReads].sort()
  };
}

describe('dataflow', () => {
  it('finds top-level defs of every binding form', async () => {
    const { defs } = await flowOf([
      'import numpy as np, os.path\nfrom m import a as b, c\na = d = f()\nx: int = 1\nfor i, (j, k) in z: pass\nwith open(p) as fh: pass\nif (w := 3): pass\nn += 1\ndef g(): pass\nclass C: attr = 1'
    ]);
    expect(defs[0]).toEqual([
      'np:import',
      'os:import',
      'b:import',
      'c:import',
      'a:assign',
      'd:assign',
      'x:annotated',
      'i:for',
      'j:for',
      'k:for',
      'fh:with',
      'w:walrus',
      'n:augmented',
      'g:def',
      'C:class'
    ]);
  });

  it('finds reads: attributes, subscripts, f-strings, query strings, not keywords', async () => {
    const { refs } = await flowOf([
      'print(f"{a!r:>{width}}", sep=sep_value)\nobj.attr = x[i]\ndf.query("col > @limit and b < @other")\nfunc(key=val)'
    ]);
    expect(refs[0].sort()).toEqual(
      [
        'a',
        'df',
        'func',
        'i',
        'limit',
        'obj',
        'other',
        'print',
        'sep_value',
        'val',
        'width',
        'x'
      ].sort()
    );
  });

  it('separates function locals from global reads', async () => {
    const { refs, defs, functionReads } = await flowOf([
      'def f(a, b=default, *args, c: T = 2, **kw):\n    local = a + b + glob\n    g = lambda q: q + other\n    return [v for v in local if v > cutoff]'
    ]);
    expect(defs[0]).toEqual(['f:def']);
    expect(refs[0].sort()).toEqual(['T', 'cutoff', 'default', 'glob', 'other']);
    expect(functionReads).toEqual(['cutoff', 'glob', 'other']);
  });

  it('treats `global` names as global inside functions', async () => {
    const { functionReads } = await flowOf([
      'def f():\n    global total\n    total = total + 1'
    ]);
    expect(functionReads).toEqual(['total']);
  });

  it('records del and keeps comprehension variables local', async () => {
    const { refs, deletes } = await flowOf([
      'del big, items[0]\nys = [x for x in xs]'
    ]);
    expect(deletes[0]).toEqual(['big']);
    expect(refs[0].sort()).toEqual(['items', 'xs']);
  });

  it('sees names bound by x = !cmd and %time statements', async () => {
    const { defs, refs } = await flowOf(['files = !ls\n%time y = f(files)']);
    expect(defs[0]).toEqual(['files:assign', 'y:assign']);
    expect(refs[0]).toEqual(['f', 'files']);
  });

  it('keeps cells in notebook order', async () => {
    const { defs } = await flowOf(['a = 1', 'b = a', 'c = b']);
    expect(defs).toEqual([['a:assign'], ['b:assign'], ['c:assign']]);
  });
});

describe('perName (per-name facts kept between runs)', () => {
  /** An analyzer whose spy rule asks `perName` about `names` each run. */
  async function setup(names: string[]) {
    const computed: string[] = [];
    const fact = perName((dataflow, name, positions) => {
      computed.push(name);
      return positions.map(p => dataflow.cells[p].cell);
    });
    let answers: number[][] = [];
    const spy = spyRule(({ dataflow, cells }) => {
      answers = names.map(name => fact(dataflow, name, cells));
    });
    const analyzer = new NotebookAnalyzer(await testParser(), [spy]);
    const run = (sources: string[]) => {
      computed.length = 0;
      analyzer.analyze(codeCells(sources));
      return { computed: [...computed].sort(), answers };
    };
    return { run, dispose: () => analyzer.dispose() };
  }

  it('recomputes only the names whose cells changed', async () => {
    const { run, dispose } = await setup(['a', 'b', 'c']);
    try {
      const first = run(['a = 1', 'b = a', 'c = 3', 'print(c)']);
      expect(first.computed).toEqual(['a', 'b', 'c']);
      expect(first.answers).toEqual([[0, 1], [1], [2, 3]]);
      // an edit of a cell that mentions none of them
      expect(run(['a = 1', 'b = a', 'c = 3', 'print(c, 1)']).computed).toEqual([
        'c'
      ]);
      // `c` no longer read in the last cell, `b` now read there
      const edited = run(['a = 1', 'b = a', 'c = 3', 'print(b)']);
      expect(edited.computed).toEqual(['b', 'c']);
      expect(edited.answers).toEqual([[0, 1], [1, 3], [2]]);
      // nothing changed: nothing recomputed, the same values
      expect(run(['a = 1', 'b = a', 'c = 3', 'print(b)']).computed).toEqual([]);
    } finally {
      dispose();
    }
  });

  it('recomputes the names whose positions moved after an insertion', async () => {
    const { run, dispose } = await setup(['a', 'z']);
    try {
      run(['a = 1', 'z = 2', 'print(a)']);
      const inserted = run(['x = 0', 'a = 1', 'z = 2', 'print(a)']);
      expect(inserted.computed).toEqual(['a', 'z']);
      expect(inserted.answers).toEqual([[1, 3], [2]]);
    } finally {
      dispose();
    }
  });
});
