import { ML101 } from '../ML101-str-concat-in-loop';
import { check } from '../../../__tests__/harness';

describe('ML101 str-concat-in-loop', () => {
  it('flags += on a string inside a for loop, anchored at the statement', async () => {
    const source = [
      'report = ""',
      'for row in rows:',
      '    report += f"{row.name}\\n"'
    ].join('\n');
    const findings = await check(ML101, source);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'ML101',
      severity: 'warning',
      line: 2,
      column: 4,
      endLine: 2,
      fix: null
    });
    expect(findings[0].message).toContain('`report`');
  });

  it.each([
    [
      's = s + ... in a while loop',
      's = ""\nwhile more():\n    s = s + next_part()\n',
      2,
      4
    ],
    [
      'prepending s = x + s',
      's = "end"\nfor w in words:\n    s = w + " " + s\n',
      2,
      4
    ],
    [
      'str(...) before the loop',
      'out = str(x)\nfor c in chars:\n    out += c\n',
      2,
      4
    ],
    [
      '"".join before the loop',
      'out = "-".join(xs)\nfor c in chars:\n    out += c\n',
      2,
      4
    ],
    [
      'annotated str',
      'out: str = load()\nfor c in chars:\n    out += c\n',
      2,
      4
    ],
    [
      'grown across an outer loop too',
      'line = ""\nfor row in grid:\n    for c in row:\n        line += c\n',
      3,
      8
    ],
    [
      'nested in an if inside the loop',
      's = ""\nfor x in xs:\n    if x:\n        s += x\n',
      3,
      8
    ]
  ])('flags %s', async (_, source, line, column) => {
    const findings = await check(ML101, source);
    expect(findings.map(f => [f.line, f.column])).toEqual([[line, column]]);
  });

  it.each([
    ['numeric +=', 'total = 0\nfor x in xs:\n    total += x\n'],
    // One item's parts: the source does not show the string is big.
    [
      'a string restarted per outer item, grown in the inner loop',
      'for row in grid:\n    line = ""\n    for c in row:\n        line += c\n'
    ],
    [
      'a per-item run-length string',
      'for mask in masks:\n    code = ""\n    for run in encode(mask):\n        code = code + str(run) + " "\n'
    ],
    // One call's parts (and CPython appends `s += part` in place there).
    [
      'inside a function',
      'def render(items):\n    html = "<ul>"\n    for i in items:\n        html += "<li>" + i\n    return html\n'
    ],
    [
      'a str parameter',
      'def pad(s: str, n):\n    for _ in range(n):\n        s += " "\n    return s\n'
    ],
    ['list +=', 'acc = []\nfor x in xs:\n    acc += [x]\n'],
    ['concatenation outside loops', 's = ""\ns += "a"\ns = s + "b"\n'],
    ['s not known to be a string', 's = make()\nfor x in xs:\n    s += x\n'],
    ['s never bound before the loop', 'for x in xs:\n    s += x\n'],
    ['bytes are not str', 'b = b""\nfor x in xs:\n    b += x\n'],
    [
      's reset on every iteration',
      's = ""\nfor x in xs:\n    s = ""\n    s += x\n'
    ],
    ['the loop variable itself', 's = ""\nfor s in names:\n    s += "!"\n'],
    [
      'rebound to a non-string last',
      's = ""\ns = []\nfor x in xs:\n    s += [x]\n'
    ],
    [
      'a nested function defined in the loop',
      's = ""\nfor x in xs:\n    def f(s):\n        s += x\n        return s\n'
    ],
    // rev 2: the join rewrite would change what these reads see
    [
      'a loop that prints the accumulator',
      's = ""\nfor x in xs:\n    s += x\n    print(s)\n'
    ],
    [
      'a loop that tests len(s)',
      's = ""\nfor w in words:\n    if len(s) > 80:\n        break\n    s += w\n'
    ],
    [
      'a loop that reads s[-1]',
      's = ""\nfor c in text:\n    if s and s[-1] == c:\n        continue\n    s = s + c\n'
    ],
    [
      'string in the loop header only',
      's = ""\nfor x in (s + "a"):\n    pass\n'
    ]
  ])('does not flag %s', async (_, source) => {
    expect(await check(ML101, source)).toHaveLength(0);
  });

  it('flags a string already grown by += before the loop (rev 2)', async () => {
    const findings = await check(ML101, [
      's = ""\ns += sentence\nfor next_char in stream:\n    s += next_char\n'
    ]);
    expect(findings.map(f => [f.line, f.column])).toEqual([[3, 4]]);
  });

  // rev 3 (real notebooks): the copies scale with the iterations; a loop over
  // a handful of known items copies a few bytes
  it.each([
    [
      'a short literal list',
      's = ""\nfor part in ["a", "b", "c"]:\n    s += part\n'
    ],
    [
      'the characters of one word',
      'w = ""\nfor ch in "hello":\n    w += ch.upper()\n'
    ],
    [
      'a small config dict',
      'line = ""\nfor k, v in {"lr": 0.1, "bs": 32}.items():\n    line += f"{k}={v} "\n'
    ],
    [
      'range of a small literal',
      's = ""\nfor i in range(10):\n    s += str(i)\n'
    ],
    [
      'a name bound to a literal list',
      'cols = ["x", "y"]\nheader = ""\nfor c in cols:\n    header += c + ","\n'
    ],
    [
      'nested literal loops (3 x 4)',
      's = ""\nfor a in "abc":\n    for b in range(4):\n        s += a\n'
    ]
  ])('does not flag a loop over %s (rev 3)', async (_, source) => {
    expect(await check(ML101, source)).toHaveLength(0);
  });

  it.each([
    ['range(n) of a name', 's = ""\nfor i in range(n):\n    s += str(i)\n'],
    [
      'a big literal range',
      's = ""\nfor i in range(100_000):\n    s += str(i)\n'
    ],
    [
      'a literal list grown before the loop',
      'parts = ["a"]\nparts.append(x)\ns = ""\nfor p in parts:\n    s += p\n'
    ],
    [
      'a data loop inside a literal loop',
      's = ""\nfor col in ["a", "b"]:\n    for v in df[col]:\n        s += str(v)\n'
    ],
    [
      'a literal loop re-started per data row (the inner copies are small, the outer grow)',
      'out = ""\nfor row in rows:\n    for k in ["a", "b"]:\n        out += row[k]\n'
    ]
  ])('still flags %s (rev 3)', async (_, source) => {
    expect(await check(ML101, source)).toHaveLength(1);
  });
});
