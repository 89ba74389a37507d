/**
 * Building the analyzer's `SyntaxNode` tree (syntax.ts) from a tree-sitter
 * tree with one `TreeCursor` walk.
 *
 * Every cursor read is a call into wasm, and the walk makes about five per
 * node; what the grammar already tells is not asked again. On a tree
 * without syntax errors, an anonymous node is a literal token: it has no
 * children and its text is its type, so its end is `start + type.length`;
 * and only the children of node types that have fields can fill one.
 * Error recovery can put any node anywhere, so a tree with an error is read
 * in full.
 */
import type { Tree } from 'web-tree-sitter';
import { SyntaxNode, SyntaxSource } from './syntax';

/**
 * The node types of tree-sitter-python that have fields (`fields` in its
 * `src/node-types.json`; a test keeps the two in step).
 */
export const TYPES_WITH_FIELDS: ReadonlySet<string> = new Set([
  'aliased_import',
  'as_pattern',
  'assignment',
  'attribute',
  'augmented_assignment',
  'binary_operator',
  'block',
  'boolean_operator',
  'call',
  'case_clause',
  'class_definition',
  'comparison_operator',
  'decorated_definition',
  'default_parameter',
  'dict_pattern',
  'dictionary_comprehension',
  'elif_clause',
  'else_clause',
  'except_clause',
  'exec_statement',
  'for_in_clause',
  'for_statement',
  'format_expression',
  'function_definition',
  'future_import_statement',
  'generator_expression',
  'if_statement',
  'import_from_statement',
  'import_statement',
  'interpolation',
  'keyword_argument',
  'lambda',
  'list_comprehension',
  'match_statement',
  'named_expression',
  'not_operator',
  'pair',
  'print_statement',
  'raise_statement',
  'set_comprehension',
  'subscript',
  'try_statement',
  'type_alias_statement',
  'typed_default_parameter',
  'typed_parameter',
  'unary_operator',
  'while_statement',
  'with_item',
  'with_statement'
]);

/** Node type of tree-sitter's ERROR nodes (`ts_builtin_sym_error`). */
const ERROR_TYPE_ID = 0xffff;

/**
 * Copy `tree` (parsed from `text`) into `SyntaxNode`s: each node's type,
 * field and offsets are read once; positions are computed from offsets on
 * demand.
 */
export function syntaxTree(tree: Tree, text: string): SyntaxNode {
  const source = new SyntaxSource(text);
  const language = tree.language;
  const { types, fields } = language;
  const named: boolean[] = [];
  const isNamed = (typeId: number): boolean =>
    (named[typeId] ??= language.nodeTypeIsNamed(typeId));
  const exact = tree.rootNode.hasError;
  /**
   * A literal token: no children, its text is its type. The two aliases
   * `not in` and `is not` are made of two tokens with any space between.
   */
  const isToken = (node: SyntaxNode): boolean =>
    !exact && !node.isNamed && !node.type.includes(' ');
  const cursor = tree.walk();
  const make = (parent: SyntaxNode | null): SyntaxNode => {
    const typeId = cursor.nodeTypeId;
    const type = types[typeId] ?? 'ERROR';
    const hasField =
      parent !== null && (exact || TYPES_WITH_FIELDS.has(parent.type));
    const node = new SyntaxNode(
      source,
      type,
      typeId === ERROR_TYPE_ID || isNamed(typeId),
      hasField ? (fields[cursor.currentFieldId] ?? null) : null,
      parent
    );
    const start = cursor.startIndex;
    node.startIndex = start;
    node.endIndex = isToken(node) ? start + type.length : cursor.endIndex;
    node.lastOrder = node.order;
    // only a zero-width node in a tree with errors can be a made-up token
    if (exact && start === node.endIndex && cursor.nodeIsMissing) {
      node.setMissing();
    }
    if (typeId === ERROR_TYPE_ID) {
      node.setHasError(cursor.currentNode.hasError);
    }
    return node;
  };
  // the children of each open node, by depth: set on the node, at their
  // exact size, once it is finished (arrays grown by push keep slack)
  const open: SyntaxNode[][] = [];
  let depth = 0;
  try {
    const root = make(null);
    let current = root;
    for (;;) {
      if (!isToken(current) && cursor.gotoFirstChild()) {
        const siblings = (open[depth] ??= []);
        siblings.length = 0;
        current = make(current);
        siblings.push(current);
        depth++;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        const parent = current.parent;
        if (!parent || !cursor.gotoParent()) {
          return root;
        }
        depth--;
        parent.setChildren(open[depth].slice());
        // a subtree ends with its last child's subtree
        parent.lastOrder = current.lastOrder;
        current = parent;
      }
      current = make(current.parent);
      open[depth - 1].push(current);
    }
  } finally {
    cursor.delete();
  }
}
