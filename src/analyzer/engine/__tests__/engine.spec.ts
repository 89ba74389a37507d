import { analyzeCells, NotebookAnalyzer } from '../engine';
import { ML502 } from '../../rules/streaming/ML502-list-in-reducer';
import type { ICellRule, INotebookRule } from '../../types';
import {
  applyEdits,
  check,
  codeCells,
  testParser
} from '../../__tests__/harness';

const BAD = 'total = sum([x for x in xs])';

describe('engine: notebook source handling', () => {
  it('keeps positions exact after masking line magics', async () => {
    const [finding] = await check(ML502, '%time total = sum([x for x in xs])');
    expect(finding).toMatchObject({ line: 0, column: 14 });
  });

  it('analyzes %%time bodies and skips %%bash cells', async () => {
    expect(await check(ML502, `%%time\n${BAD}`)).toHaveLength(1);
    expect(await check(ML502, `%%bash\n${BAD}`)).toHaveLength(0);
  });

  it('reports findings around a syntax error but not inside it', async () => {
    const source = `${BAD}\nx = = sum([a for a in b])\n${BAD}`;
    const findings = await check(ML502, source);
    expect(findings.map(f => f.line)).toEqual([0, 2]);
  });

  it('skips markdown and raw cells but counts them in cell indices', async () => {
    const findings = analyzeCells(
      await testParser(),
      [
        { kind: 'markdown', source: BAD },
        { kind: 'raw', source: BAD },
        { kind: 'code', source: BAD }
      ],
      { rules: [ML502] }
    );
    expect(findings.map(f => f.cell)).toEqual([2]);
  });

  it('uses UTF-16 code-unit columns (what JS slice and CodeMirror use)', async () => {
    const source = 's = "é€😀"; total = sum([x for x in xs])';
    const [finding] = await check(ML502, source);
    expect(source.slice(finding.column, finding.endColumn)).toBe(
      'sum([x for x in xs])'
    );
    const [fixed] = applyEdits([source], finding.fix!.edits);
    expect(fixed).toBe('s = "é€😀"; total = sum(x for x in xs)');
  });
});

describe('engine: suppression comments', () => {
  it.each([
    [`${BAD}  # memlens: ignore`, 0],
    [`${BAD}  # memlens: ignore[ML502]`, 0],
    [`${BAD}  # memlens: ignore[ML101, ML5]`, 0],
    [`${BAD}  # memlens: ignore[ML101]`, 1],
    [`# memlens: ignore\n${BAD}`, 1],
    [`s = "# memlens: ignore"; ${BAD}`, 1]
  ])('%j → %d findings', async (source, count) => {
    expect(await check(ML502, source)).toHaveLength(count);
  });

  it('applies to the last line of a multi-line finding', async () => {
    const source = 'total = sum([\n    x for x in xs\n])  # memlens: ignore';
    expect(await check(ML502, source)).toHaveLength(0);
  });
});

describe('engine: options and robustness', () => {
  it('honours select, ignore and disabled (ids and prefixes)', async () => {
    const parser = await testParser();
    const cells = codeCells(BAD);
    const run = (options: object) =>
      analyzeCells(parser, cells, { rules: [ML502], ...options }).length;
    expect(run({ select: ['ML502'] })).toBe(1);
    expect(run({ select: ['ML5'] })).toBe(1);
    expect(run({ select: ['ML101'] })).toBe(0);
    expect(run({ ignore: ['ML502'] })).toBe(0);
    expect(run({ disabled: ['ML502'] })).toBe(0);
  });

  it('contains a rule that throws', async () => {
    const broken: ICellRule = {
      ...ML502,
      id: 'ML999',
      check: () => {
        throw new Error('boom');
      }
    };
    const analyzer = new NotebookAnalyzer(await testParser(), [broken, ML502]);
    expect(analyzer.analyze(codeCells(BAD))).toHaveLength(1);
    expect(analyzer.stats.failures).toEqual(['ML999']);
    analyzer.dispose();
  });
});

describe('NotebookAnalyzer: incremental', () => {
  const counting = (): INotebookRule & { runs: number } => {
    const rule = {
      id: 'ML998',
      name: 'count',
      title: 'count',
      severity: 'hint' as const,
      scope: 'notebook' as const,
      docs: { why: '', whatToDo: '', bad: '', good: '' },
      runs: 0,
      check() {
        rule.runs++;
      }
    };
    return rule;
  };

  it('re-parses only the edited cell and re-runs notebook rules', async () => {
    const notebookRule = counting();
    const analyzer = new NotebookAnalyzer(await testParser(), [
      ML502,
      notebookRule
    ]);
    const sources = ['import numpy as np', BAD, 'y = 2', BAD];
    expect(analyzer.analyze(codeCells(sources))).toHaveLength(2);
    expect(analyzer.stats).toMatchObject({ parsed: 4, reused: 0 });

    sources[2] = 'y = 3';
    expect(analyzer.analyze(codeCells(sources))).toHaveLength(2);
    expect(analyzer.stats).toMatchObject({ parsed: 1, reused: 3 });
    expect(notebookRule.runs).toBe(2);

    sources[1] = 'total = 0';
    expect(analyzer.analyze(codeCells(sources)).map(f => f.cell)).toEqual([3]);
    analyzer.dispose();
    expect(analyzer.isDisposed).toBe(true);
  });

  it('names the last cell that binds a name at top level (bindingCell)', async () => {
    const analyzer = new NotebookAnalyzer(await testParser(), [ML502]);
    expect(analyzer.bindingCell('df')).toBeNull();
    analyzer.analyze([
      { kind: 'code', source: 'df = load()' },
      { kind: 'markdown', source: 'df = not code' },
      { kind: 'code', source: 'df = df.dropna()\ndef f():\n    inner = 1' },
      { kind: 'code', source: 'print(df)' }
    ]);
    expect(analyzer.bindingCell('df')).toBe(2);
    expect(analyzer.bindingCell('inner')).toBeNull();
    expect(analyzer.bindingCell('f')).toBe(2);
    analyzer.dispose();
  });

  it('moves cached findings when cells are inserted above', async () => {
    const analyzer = new NotebookAnalyzer(await testParser(), [ML502]);
    const cells = codeCells(['x = 1', BAD]);
    analyzer.analyze(cells);
    const moved = [{ kind: 'markdown' as const, source: '# T' }, ...cells];
    const [finding] = analyzer.analyze(moved);
    expect(analyzer.stats).toMatchObject({ parsed: 0, reused: 2 });
    expect(finding.cell).toBe(2);
    expect(finding.fix!.edits.every(edit => edit.cell === 2)).toBe(true);
    analyzer.dispose();
  });

  it('finds moved cells by their source, also without ids and with equal sources', async () => {
    const analyzer = new NotebookAnalyzer(await testParser(), [ML502]);
    const run = (sources: string[]) => {
      const cells = analyzer.analyze(codeCells(sources)).map(f => f.cell);
      return { cells, ...analyzer.stats };
    };
    run(['x = 1', BAD, 'y = 2', 'y = 2']);
    // two cells swapped: both parses reused, the finding follows its cell
    expect(run([BAD, 'x = 1', 'y = 2', 'y = 2'])).toMatchObject({
      cells: [0],
      parsed: 0,
      reused: 4
    });
    // one of two equal cells deleted, the other edited
    expect(run([BAD, 'x = 1', 'y = 20'])).toMatchObject({
      cells: [0],
      parsed: 1,
      reused: 2
    });
    // a deleted cell's source typed again elsewhere is parsed afresh
    expect(run([BAD, 'x = 1', 'y = 20', 'y = 2', BAD])).toMatchObject({
      cells: [0, 4],
      parsed: 2,
      reused: 3
    });
    analyzer.dispose();
  });

  it('uses cell ids when given', async () => {
    const analyzer = new NotebookAnalyzer(await testParser(), [ML502]);
    const cells = [
      { kind: 'code' as const, source: BAD, id: 'a' },
      { kind: 'code' as const, source: BAD, id: 'b' }
    ];
    analyzer.analyze(cells);
    analyzer.analyze([cells[1], cells[0]]);
    expect(analyzer.stats).toMatchObject({ parsed: 0, reused: 2 });
    analyzer.dispose();
  });
});
