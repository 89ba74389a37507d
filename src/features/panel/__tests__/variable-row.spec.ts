import type { Variable } from '../../../kernel/protocol';
import { variableSizeText, variableSizeTitle } from '../variable-row';

const variable = (overrides: Partial<Variable>): Variable => ({
  name: 'x',
  type: 'list',
  size_bytes: 1024,
  size_exact: true,
  size_error: 0,
  shape: null,
  len: null,
  dtype: null,
  held_by: [],
  storage: 'heap',
  ...overrides
});

describe('the size cell of a variable row', () => {
  it('shows exact sizes as they are and estimates with their bound', () => {
    expect(variableSizeText(variable({}))).toBe('1.0 KiB');
    expect(variableSizeTitle(variable({}))).toBeUndefined();
    const sampled = variable({ size_exact: false, size_error: 0.02 });
    expect(variableSizeText(sampled)).toMatch(/1\.0 KiB/);
    expect(variableSizeTitle(sampled)).toBe(
      'Estimated by sampling, within ±2%'
    );
  });

  it('shows a lower bound for native memory it cannot see', () => {
    const opaque = variable({
      type: 'zlib.Compress',
      size_bytes: 53 * 1024,
      size_exact: false,
      size_error: null,
      native: 'unknown'
    });
    expect(variableSizeText(opaque)).toBe(
      '≥ 53.0 KiB · native memory not visible'
    );
    expect(variableSizeTitle(opaque)).toMatch(/native code/);
  });

  it('shows pending rows as not sized yet', () => {
    const pending = variable({ size_bytes: null, pending: true });
    expect(variableSizeText(pending)).toBe('…');
    expect(variableSizeTitle(pending)).toMatch(/budget/);
  });
});
