import { ML101 } from '../rules/references/ML101-str-concat-in-loop';
import { check } from './harness';

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
      'reset per outer iteration, grown in the inner loop',
      'for row in grid:\n    line = ""\n    for c in row:\n        line += c\n',
      3,
      8
    ],
    [
      'inside a function',
      'def render(items):\n    html = "<ul>"\n    for i in items:\n        html += "<li>" + i\n    return html\n',
      3,
      8
    ],
    [
      'a str parameter',
      'def pad(s: str, n):\n    for _ in range(n):\n        s += " "\n    return s\n',
      2,
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
});
