/**
 * The analyzer's syntax tree: a plain-JavaScript copy of a tree-sitter
 * tree, built by one `TreeCursor` walk right after parsing.
 *
 * Every property of a web-tree-sitter `Node` (its type, its end, each
 * child, each field) is a call across the JS↔wasm boundary that builds a
 * new object; with two dozen rules reading the same nodes, those calls
 * were most of the analysis time. Reading each node once into a
 * `SyntaxNode` makes every later access a property read, and gives nodes
 * an identity (`a === b`) that rules and caches can rely on.
 *
 * `SyntaxNode` mirrors the part of web-tree-sitter's `Node` API the
 * analyzer uses, with the same meaning: indices and columns are UTF-16
 * code units (web-tree-sitter parses JS strings as UTF-16), rows 0-based.
 */

/** A 0-based row and UTF-16 column. */
export interface IPoint {
  row: number;
  column: number;
}

/**
 * Node ids are `idBase + order`, unique across trees (so ids can key maps
 * that mix cells); a cell has far fewer than 2^24 nodes (prepare.ts limits).
 */
let nextIdBase = 1;
const IDS_PER_TREE = 2 ** 24;

/** What the nodes of one tree share: its text and where its lines start. */
export class SyntaxSource {
  constructor(readonly text: string) {
    const starts = [0];
    for (
      let at = text.indexOf('\n');
      at >= 0;
      at = text.indexOf('\n', at + 1)
    ) {
      starts.push(at + 1);
    }
    this.lineStarts = starts;
  }

  /** The point of offset `index`. */
  point(index: number): IPoint {
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= index) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return { row: low, column: index - starts[low] };
  }

  /** The offset of point `point` (clamped to the text). */
  offset(point: IPoint): number {
    const starts = this.lineStarts;
    if (point.row >= starts.length) {
      return this.text.length;
    }
    return Math.min(starts[point.row] + point.column, this.text.length);
  }

  /** The nodes of the tree in document (pre-)order; `order` indexes it. */
  readonly nodes: SyntaxNode[] = [];

  /** The nodes of one type in document order (one pass per type asked). */
  ofType(type: string): readonly SyntaxNode[] {
    let list = this.byType.get(type);
    if (!list) {
      list = this.nodes.filter(node => node.type === type);
      this.byType.set(type, list);
    }
    return list;
  }

  readonly lineStarts: number[];
  /** The id of this tree's first node (see `SyntaxNode.id`). */
  readonly idBase = (nextIdBase += IDS_PER_TREE);
  private readonly byType = new Map<string, SyntaxNode[]>();
}

/** The children of every leaf (one shared, frozen array). */
const NO_CHILDREN = Object.freeze([]) as unknown as SyntaxNode[];

const NAMED = 1;
const MISSING = 2;
const ERROR_KNOWN = 4;
const HAS_ERROR = 8;

/**
 * One node of a syntax tree (named or anonymous). A tree of a 20,000-line
 * notebook has some 300,000 nodes: fields are kept few (flags in one
 * number, positions computed on demand) to keep the tree small.
 */
export class SyntaxNode {
  /** @internal Built by `syntaxTree` (syntax-tree.ts) only. */
  constructor(
    readonly tree: SyntaxSource,
    readonly type: string,
    isNamed: boolean,
    /** The field this node fills in its parent (`function`, `body`…). */
    readonly fieldName: string | null,
    readonly parent: SyntaxNode | null
  ) {
    this.order = tree.nodes.length;
    this.flags = isNamed ? NAMED : 0;
    tree.nodes.push(this);
  }

  /** Start offset (set once by `syntaxTree`; read-only for everyone else). */
  startIndex = 0;
  /** End offset (set once by `syntaxTree`; read-only for everyone else). */
  endIndex = 0;
  /** Position of the node in its tree's document order. */
  readonly order: number;
  /** `order` of the node's last descendant (its own when it has none). */
  lastOrder = 0;

  /** Every child, anonymous tokens included, in order (do not modify). */
  children: SyntaxNode[] = NO_CHILDREN;

  /** Unique among all syntax nodes of this process. */
  get id(): number {
    return this.tree.idBase + this.order;
  }

  /** A named node (a grammar rule), not an anonymous token (`(`, `for`). */
  get isNamed(): boolean {
    return (this.flags & NAMED) !== 0;
  }

  /** A zero-width token the parser made up to recover from an error. */
  get isMissing(): boolean {
    return (this.flags & MISSING) !== 0;
  }

  /** True for an `ERROR` node. */
  get isError(): boolean {
    return this.type === 'ERROR';
  }

  /** True when the node is or contains an error or missing node. */
  get hasError(): boolean {
    if (!(this.flags & ERROR_KNOWN)) {
      this.setHasError(
        this.isError ||
          this.isMissing ||
          this.children.some(child => child.hasError)
      );
    }
    return (this.flags & HAS_ERROR) !== 0;
  }

  /** @internal Sets the children (the builder's only edit, once). */
  setChildren(children: SyntaxNode[]): void {
    this.children = children;
  }

  /** @internal Marks a made-up token (see `isMissing`). */
  setMissing(): void {
    this.flags |= MISSING;
  }

  /**
   * @internal For an ERROR node, what tree-sitter says of it: an ERROR that
   * recovery made at no cost (a skipped token) does not count as one.
   */
  setHasError(value: boolean): void {
    this.flags =
      (this.flags & ~HAS_ERROR) | ERROR_KNOWN | (value ? HAS_ERROR : 0);
  }

  /** The node's source text (of the masked cell). */
  get text(): string {
    return this.tree.text.slice(this.startIndex, this.endIndex);
  }

  get startPosition(): IPoint {
    return this.tree.point(this.startIndex);
  }

  get endPosition(): IPoint {
    return this.tree.point(this.endIndex);
  }

  /** Named children, in order. */
  get namedChildren(): SyntaxNode[] {
    if (this._named === undefined) {
      const named = this.children.filter(child => child.isNamed);
      this._named = named.length > 0 ? named : NO_CHILDREN;
    }
    return this._named;
  }

  get childCount(): number {
    return this.children.length;
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  child(index: number): SyntaxNode | null {
    return this.children[index] ?? null;
  }

  namedChild(index: number): SyntaxNode | null {
    return this.namedChildren[index] ?? null;
  }

  get firstChild(): SyntaxNode | null {
    return this.children[0] ?? null;
  }

  get lastChild(): SyntaxNode | null {
    return this.children[this.children.length - 1] ?? null;
  }

  get firstNamedChild(): SyntaxNode | null {
    return this.namedChildren[0] ?? null;
  }

  get nextSibling(): SyntaxNode | null {
    return this.sibling(1);
  }

  get previousSibling(): SyntaxNode | null {
    return this.sibling(-1);
  }

  /** The first child filling field `name`, or null. */
  childForFieldName(name: string): SyntaxNode | null {
    for (const child of this.children) {
      if (child.fieldName === name) {
        return child;
      }
    }
    return null;
  }

  /** Every child filling field `name`. */
  childrenForFieldName(name: string): SyntaxNode[] {
    return this.children.filter(child => child.fieldName === name);
  }

  /** The field child `index` fills, or null. */
  fieldNameForChild(index: number): string | null {
    return this.children[index]?.fieldName ?? null;
  }

  /**
   * This node and its descendants of the given type(s), in document order
   * (web-tree-sitter's meaning: the node itself is included). Served from
   * the tree's per-type index, so no subtree is walked.
   */
  descendantsOfType(types: string | readonly string[]): SyntaxNode[] {
    if (typeof types === 'string') {
      return this.inSubtree(this.tree.ofType(types));
    }
    const found = types.flatMap(type => this.inSubtree(this.tree.ofType(type)));
    return types.length > 1 ? found.sort((a, b) => a.order - b.order) : found;
  }

  /** The smallest named descendant spanning `start`..`end`, or this node. */
  namedDescendantForPosition(start: IPoint, end: IPoint = start): SyntaxNode {
    const from = this.tree.offset(start);
    const to = this.tree.offset(end);
    // tree-sitter's rule: a child must reach the range's end and start at
    // or before its start, and a non-empty child must go past the start
    const inner = this.namedChildren.find(
      child =>
        child.endIndex >= to &&
        child.startIndex <= from &&
        (child.endIndex > from || child.startIndex === child.endIndex)
    );
    return inner ? inner.namedDescendantForPosition(start, end) : this;
  }

  /** The nodes of `list` (in document order) that lie in this subtree. */
  private inSubtree(list: readonly SyntaxNode[]): SyntaxNode[] {
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (list[middle].order < this.order) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    const found: SyntaxNode[] = [];
    for (let i = low; i < list.length && list[i].order <= this.lastOrder; i++) {
      found.push(list[i]);
    }
    return found;
  }

  private sibling(step: 1 | -1): SyntaxNode | null {
    const siblings = this.parent?.children;
    if (!siblings) {
      return null;
    }
    return siblings[siblings.indexOf(this) + step] ?? null;
  }

  private flags: number;
  private _named: SyntaxNode[] | undefined = undefined;
}
