import { ML301 } from '../ML301-gc-disabled';
import { check } from '../../../__tests__/harness';

describe('ML301 gc-disabled', () => {
  it('flags gc.disable() never re-enabled', async () => {
    const [finding, ...rest] = await check(ML301, [
      'import gc\ngc.disable()\nrun()',
      'x = 1'
    ]);
    expect(rest).toHaveLength(0);
    expect(finding).toMatchObject({
      cell: 0,
      line: 1,
      column: 0,
      endColumn: 12
    });
    expect(finding.message).toContain('gc.disable()');
  });

  it('flags aliases and a disable after the last enable', async () => {
    expect(await check(ML301, 'import gc as g\ng.disable()')).toHaveLength(1);
    expect(
      await check(ML301, 'from gc import disable\ndisable()')
    ).toHaveLength(1);
    expect(
      await check(ML301, ['import gc\ngc.enable()', 'gc.disable()'])
    ).toHaveLength(1);
  });

  it.each([
    ['a pair in one cell', ['import gc\ngc.disable()\nrun()\ngc.enable()']],
    [
      'a pair in try/finally',
      ['import gc\ngc.disable()\ntry:\n    run()\nfinally:\n    gc.enable()']
    ],
    [
      'enable in a later cell',
      ['import gc\ngc.disable()', 'run()', 'gc.enable()']
    ],
    ['other disable() calls', ['logging.disable()\nbutton.disable()']]
  ])('does not flag %s', async (_, sources) => {
    expect(await check(ML301, sources)).toHaveLength(0);
  });
});
