/**
 * Stand-in for `@jupyterlab/translation` in jest: the package ships only ES
 * modules, which jest's CommonJS runtime cannot load. Same behaviour as its
 * `nullTranslator` (no translation, `%1`…`%n` replaced, English plurals).
 */
function format(text: string, args: unknown[]): string {
  return text.replace(/%(\d+)/g, (match, n: string) =>
    Number(n) <= args.length ? String(args[Number(n) - 1]) : match
  );
}

const bundle = {
  __: (msgid: string, ...args: unknown[]) => format(msgid, args),
  _n: (singular: string, plural: string, n: number, ...args: unknown[]) =>
    format(n === 1 ? singular : plural, [n, ...args]),
  _p: (_context: string, msgid: string, ...args: unknown[]) =>
    format(msgid, args)
};

export const nullTranslator = { load: () => bundle };
