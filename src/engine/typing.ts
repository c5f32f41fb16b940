/**
 * Shape and kind inference. Every node gets a shape; dimension letters must agree exactly,
 * unknown shapes (I, 0, undeclared symbols) are inferred by unification, and anything left
 * open is an error that names the declaration to add.
 */
import type { Layout } from './api.ts';
import { walk, type FnName, type Node, type NodeOf, type RawIndex, type Wrt } from './ast.ts';
import { EngineError } from './errors.ts';
import type { Decl, Definition, Scope } from './scope.ts';
import { Dims, SCALAR, mulDim, showShape, type Dim, type Shape } from './shape.ts';

export interface Typed {
  shapes: Map<Node, Shape>;
  dims: Dims;
  /** Index variables not bound by a sum, with the dimension they range over. */
  freeIdx: Map<string, Dim>;
  /** Ranges of bound indices, by the isum node and name. */
  boundIdx: Map<Node, Map<string, Dim>>;
  /** Resolved entry indices: for each entry node, its 1-based indices (numbers or variable names). */
  entries: Map<Node, (number | string)[]>;
  /** Symbols that are not declared and whose shape was inferred. */
  inferred: Map<string, Shape>;
  layout: Layout;
  /**
   * The declarations the expression was typed under. A definition keeps those of its own `where`,
   * which later formulas do not see: its parameters' shapes and the symbols of its body.
   */
  decls?: Map<string, Decl>;
}

function shapeErr(msg: string, n: Node): EngineError {
  return new EngineError(msg, n.span, 'shape');
}

export class Typer {
  readonly dims = new Dims();
  readonly shapes = new Map<Node, Shape>();
  readonly freeIdx = new Map<string, Dim>();
  readonly boundIdx = new Map<Node, Map<string, Dim>>();
  readonly entries = new Map<Node, (number | string)[]>();
  private undeclared = new Map<string, { shape: Shape; node: Node }>();
  /** I, 0 and \mathbf{1} written without a size: the context must give them one. */
  private sizedByContext: Node[] = [];
  private bound: Map<string, Dim>[] = [];
  readonly scope: Scope;
  readonly layout: Layout;

  constructor(scope: Scope, layout: Layout) {
    this.scope = scope;
    this.layout = layout;
  }

  result(): Typed {
    const inferred = new Map<string, Shape>();
    for (const [name, u] of this.undeclared) {
      const s = this.dims.resolveShape(u.shape);
      if (s.r.includes('?') || s.c.includes('?')) {
        throw new EngineError(
          `the symbol ${name} is not declared and its shape cannot be inferred from its use: declare it, e.g. where="${name}: n×n" (or ${name}: scalar, ${name}: n)`,
          u.node.span,
          'unknown-symbol',
        );
      }
      inferred.set(name, s);
    }
    for (const n of this.sizedByContext) {
      const s = this.dims.resolveShape(this.shapes.get(n)!);
      if (s.r.includes('?') || s.c.includes('?')) throw new EngineError(sizeMessage(n), n.span, 'shape');
    }
    for (const [k, s] of this.shapes) this.shapes.set(k, this.dims.resolveShape(s));
    for (const [k, d] of this.freeIdx) this.freeIdx.set(k, this.dims.resolve(d));
    return { shapes: this.shapes, dims: this.dims, freeIdx: this.freeIdx, boundIdx: this.boundIdx, entries: this.entries, inferred, layout: this.layout, decls: this.scope.decls };
  }

  private unify(a: Shape, b: Shape, where: Node, what: string): void {
    const okR = this.dims.unify(a.r, b.r);
    const okC = this.dims.unify(a.c, b.c);
    if (!okR || !okC) {
      throw shapeErr(`dimension mismatch ${what}: ${showShape(this.dims.resolveShape(a))} and ${showShape(this.dims.resolveShape(b))}`, where);
    }
  }

  private resolved(s: Shape): Shape {
    return this.dims.resolveShape(s);
  }

  isScalar(s: Shape): boolean {
    return this.dims.isScalar(s);
  }

  private requireSquare(s: Shape, n: Node, what: string): void {
    const r = this.resolved(s);
    if (r.r !== r.c) {
      if (!this.dims.unify(r.r, r.c)) throw shapeErr(`${what} needs a square matrix, got ${showShape(r)}`, n);
    }
  }

  /** Type a relation member; a bare 0 takes the shape of the other side. */
  typeMember(n: Node): Shape {
    if (n.k === 'num' && n.p === 0) {
      const s = this.dims.freshShape();
      this.shapes.set(n, s);
      this.sizedByContext.push(n);
      return s;
    }
    return this.type(n);
  }

  type(n: Node): Shape {
    const s = this.typeInner(n);
    this.shapes.set(n, s);
    return s;
  }

  private typeInner(n: Node): Shape {
    switch (n.k) {
      case 'num':
      case 'const':
        return SCALAR;
      case 'sym':
        return this.typeSym(n);
      case 'I': {
        if (!n.dim) this.sizedByContext.push(n);
        const d = n.dim ? this.dimFromText(n.dim, n) : this.dims.fresh();
        return { r: d, c: d };
      }
      case 'zero':
        this.sizedByContext.push(n);
        return this.dims.freshShape();
      case 'ones':
        if (!n.dim) this.sizedByContext.push(n);
        return { r: n.dim ? this.dimFromText(n.dim, n) : this.dims.fresh(), c: '1' };
      case 'entry':
        return this.typeEntry(n);
      case 'add': {
        let acc: Shape | null = null;
        for (const a of n.args) {
          const s = a.k === 'num' && a.p === 0 ? this.typeMember(a) : a.k === 'neg' && a.arg.k === 'num' && a.arg.p === 0 ? this.typeZeroNeg(a) : this.type(a);
          if (acc) this.unify(acc, s, a, 'between the terms of this sum');
          else acc = s;
        }
        return acc!;
      }
      case 'neg':
        return this.type(n.arg);
      case 'mul': {
        let acc: Shape | null = null;
        for (const a of n.args) {
          const s = this.type(a);
          this.requirePinned(a, s);
          if (!acc) {
            acc = s;
            continue;
          }
          if (this.isScalar(acc)) acc = s;
          else if (this.isScalar(s)) {
            /* a scalar scales */
          } else {
            const ra = this.resolved(acc);
            const rb = this.resolved(s);
            if (!this.dims.unify(ra.c, rb.r)) {
              throw shapeErr(`dimension mismatch in a product: ${showShape(ra)} times ${showShape(rb)} (the inner dimensions ${ra.c} and ${rb.r} differ)`, a);
            }
            acc = { r: ra.r, c: rb.c };
          }
        }
        return acc!;
      }
      case 'div': {
        const num = this.type(n.num);
        const den = this.type(n.den);
        // a divisor is a scalar: that pins down an undeclared one
        if (!this.dims.unify(den.r, '1') || !this.dims.unify(den.c, '1')) throw shapeErr(`can only divide by a scalar, not by a ${showShape(this.resolved(den))}`, n.den);
        return num;
      }
      case 'pow': {
        const b = this.type(n.base);
        const e = this.type(n.exp);
        if (!this.dims.unify(e.r, '1') || !this.dims.unify(e.c, '1')) throw shapeErr('an exponent must be a scalar', n.exp);
        if (this.isScalar(b)) return SCALAR;
        if (n.exp.k === 'num' && n.exp.q === 1) {
          this.requireSquare(b, n.base, 'a matrix power');
          return b;
        }
        if (n.exp.k === 'neg' && n.exp.arg.k === 'num' && n.exp.arg.q === 1) {
          this.requireSquare(b, n.base, 'a matrix power');
          return b;
        }
        throw shapeErr(`a power of a ${showShape(this.resolved(b))} needs an integer exponent`, n);
      }
      case 'T': {
        const s = this.type(n.arg);
        return { r: s.c, c: s.r };
      }
      case 'inv': {
        const s = this.type(n.arg);
        if (this.isScalar(s)) return SCALAR;
        this.requireSquare(s, n.arg, 'an inverse');
        return s;
      }
      case 'fn':
        return this.typeFn(n);
      case 'had': {
        const a = this.type(n.a);
        const b = this.type(n.b);
        this.unify(a, b, n, 'in a Hadamard product');
        return a;
      }
      case 'kron': {
        const a = this.resolved(this.type(n.a));
        const b = this.resolved(this.type(n.b));
        if ([a.r, a.c, b.r, b.c].some((d) => d.includes('?'))) throw shapeErr('the shapes of a Kronecker product must be known: declare its factors', n);
        return { r: mulDim(a.r, b.r), c: mulDim(a.c, b.c) };
      }
      case 'mat': {
        for (const row of n.rows) {
          for (const cell of row) {
            const s = this.type(cell);
            if (!this.isScalar(s)) throw shapeErr(`a matrix literal holds scalars; this entry is a ${showShape(this.resolved(s))} (block matrices are not supported)`, cell);
          }
        }
        return { r: String(n.rows.length), c: String(n.rows[0]!.length) };
      }
      case 'isum': {
        const frame = new Map<string, Dim>();
        for (const i of n.idx) frame.set(i, n.hi ? this.dimFromText(n.hi, n) : this.dims.fresh());
        this.bound.push(frame);
        const body = this.type(n.body);
        this.bound.pop();
        this.boundIdx.set(n, frame);
        for (const [i, d] of frame) {
          if (this.dims.resolve(d).includes('?')) throw shapeErr(`the range of the index ${i} cannot be inferred: use it as an index of a vector or matrix, or write \\sum_{${i}=1}^{n}`, n);
        }
        if (n.op === 'prod' && !this.isScalar(body)) throw shapeErr('a product over an index needs a scalar body', n.body);
        return body;
      }
      case 'deriv':
        return this.typeDeriv(n);
      case 'diff':
        return this.type(n.arg);
      case 'call':
        return this.typeCall(n);
    }
  }

  /**
   * An undeclared symbol in a product could be a scalar or a matrix: its use must already pin
   * its shape down (for example by a sum with a declared matrix), or it must be declared.
   */
  private requirePinned(a: Node, s: Shape): void {
    let root = a;
    while (root.k === 'T' || root.k === 'inv' || root.k === 'neg') root = root.arg;
    if (root.k !== 'sym' || !this.undeclared.has(root.name)) return;
    if (this.dims.isKnown(s)) return;
    // taken as a matrix for now; `typeFormula` then tries the scalar reading too
    if (!this.inProducts.has(root.name)) this.inProducts.set(root.name, root);
  }

  /** Undeclared symbols first met as a factor of a product, before their shape was known. */
  readonly inProducts = new Map<string, Node>();

  private typeZeroNeg(n: NodeOf<'neg'>): Shape {
    const s = this.typeMember(n.arg);
    this.shapes.set(n, s);
    return s;
  }

  private dimFromText(text: string, n: Node): Dim {
    const t = text.replace(/[{}\s]/g, '');
    if (/^[A-Za-z]$/.test(t) || /^[1-9]\d*$/.test(t)) return t;
    throw shapeErr(`cannot read '${text}' as a dimension`, n);
  }

  /**
   * A definition uses the symbols as they were declared where it was made; one re-declared since
   * with another shape or properties (`A: m×m`, later `A: m×n`) would be sampled as it is now.
   */
  private checkDefinitionScope(def: Definition, n: Node): void {
    const seen = new Set<string>();
    const visit = (d: Definition) => {
      const then = (d as { typed?: Typed }).typed?.decls;
      if (!then || seen.has(d.name)) return;
      seen.add(d.name);
      walk(d.body, (m) => {
        if (m.k !== 'sym' && m.k !== 'call') return;
        if (d.params.includes(m.name)) return;
        const inner = this.scope.defs.get(m.name);
        if (inner) return visit(inner);
        const was = then.get(m.name);
        const is = this.scope.decls.get(m.name);
        if (!was || !is || was === is) return;
        const props = (x: Decl) => [...x.props].sort().join(', ');
        if (was.shape.r === is.shape.r && was.shape.c === is.shape.c && props(was) === props(is)) return;
        const show = (x: Decl) => `${showShape(x.shape)}${x.props.size ? ` (${props(x)})` : ''}`;
        throw shapeErr(
          `${def.name} was defined when ${m.name} was ${show(was)}; ${m.name} is now ${show(is)}: define ${def.name} again after the new declaration, or give the new symbol another name`,
          n,
        );
      });
    };
    visit(def);
  }

  private typeSym(n: NodeOf<'sym'>): Shape {
    const def = this.scope.defs.get(n.name);
    if (def) {
      this.checkDefinitionScope(def, n);
      return def.shape; // a bare function name means f at its own parameters
    }
    const decl = this.scope.decls.get(n.name);
    if (decl) return decl.shape;
    if (this.scope.isDimension(n.name)) return SCALAR;
    if (n.callLike) {
      throw new EngineError(
        `${n.name}(…) is not a defined function: define it with :::definition (${n.name}(x) = …), or declare ${n.name} if this is a product`,
        n.span,
        'unknown-symbol',
      );
    }
    const u = this.undeclared.get(n.name);
    if (u) return u.shape;
    const shape = this.dims.freshShape();
    this.undeclared.set(n.name, { shape, node: n });
    return shape;
  }

  private typeCall(n: NodeOf<'call'>): Shape {
    const def = this.scope.defs.get(n.name);
    const decl = this.scope.decls.get(n.name);
    if (decl?.param) {
      if (n.args.length !== 1) throw shapeErr(`${n.name}(${decl.param}) takes one argument`, n);
      const s = this.type(n.args[0]!);
      if (!this.isScalar(s)) throw shapeErr(`${n.name} is a function of the scalar ${decl.param}`, n.args[0]!);
      return decl.shape;
    }
    if (!def) throw new EngineError(`${n.name}(…) is not a defined function`, n.span, 'unknown-symbol');
    this.checkDefinitionScope(def, n);
    if (def.params.length !== n.args.length) throw shapeErr(`${n.name} takes ${def.params.length} argument(s), got ${n.args.length}`, n);
    def.params.forEach((p, i) => {
      // the parameter's shape is the one it had where the function was defined
      const ps = (def as { typed?: Typed }).typed?.decls?.get(p)?.shape ?? this.scope.decls.get(p)?.shape ?? SCALAR;
      this.unify(ps, this.type(n.args[i]!), n.args[i]!, `in the argument ${p} of ${n.name}`);
    });
    return def.shape;
  }

  /** Resolve the base symbol of an entry: `a_{12}` of a declared matrix `A`. */
  private entryBase(n: NodeOf<'entry'>): Node {
    if (n.of.k === 'sym' && !this.scope.isSymbol(n.of.name) && !this.scope.decls.has(n.of.name)) {
      // a_{12} is an entry of A, \sigma_{ij} of \Sigma
      const up = n.of.name.startsWith('\\') ? `\\${n.of.name.charAt(1).toUpperCase()}${n.of.name.slice(2)}` : n.of.name.toUpperCase();
      if (up !== n.of.name && this.scope.decls.has(up)) {
        const of: Node = { k: 'sym', name: up, span: n.of.span };
        (n as { of: Node }).of = of;
      }
    }
    return n.of;
  }

  private typeEntry(n: NodeOf<'entry'>): Shape {
    const base = this.entryBase(n);
    if (base.k === 'sym' && !this.scope.isSymbol(base.name) && !this.scope.decls.has(base.name)) {
      throw new EngineError(`${base.name}_{…} is an entry of ${base.name}, but ${base.name} is not declared: declare it, e.g. where="${base.name}: n" for a vector or "${base.name}: m×n" for a matrix`, n.span, 'unknown-symbol');
    }
    const s = this.resolved(this.type(base));
    if (this.isScalar(s)) throw shapeErr(`${describeNode(base)} is a scalar and has no entries`, n);
    const isVec = s.c === '1' || s.r === '1';
    const raw = splitIndices(n.idx, isVec ? 1 : 2);
    if (raw.length !== (isVec ? 1 : 2)) {
      throw shapeErr(`${describeNode(base)} is a ${showShape(s)}: its entries take ${isVec ? 'one index' : 'two indices'}, got ${raw.length}`, n);
    }
    const dimsOf: Dim[] = isVec ? [s.c === '1' ? s.r : s.c] : [s.r, s.c];
    const out: (number | string)[] = [];
    raw.forEach((ix, k) => {
      const d = dimsOf[k]!;
      if (ix.kind === 'num') {
        const v = Number(ix.text);
        if (!(v >= 1)) throw shapeErr(`indices are 1-based: ${ix.text} is not a valid index`, n);
        if (/^\d+$/.test(d) && v > Number(d)) throw shapeErr(`index ${v} is out of range 1…${d}`, n);
        out.push(v);
      } else {
        this.bindIndex(ix.name, d, n);
        out.push(ix.name);
      }
    });
    this.entries.set(n, out);
    return SCALAR;
  }

  private bindIndex(name: string, d: Dim, n: Node): void {
    for (let i = this.bound.length - 1; i >= 0; i--) {
      const frame = this.bound[i]!;
      if (frame.has(name)) {
        if (!this.dims.unify(frame.get(name)!, d)) throw shapeErr(`the index ${name} ranges over ${this.dims.resolve(frame.get(name)!)} here but over ${d} elsewhere`, n);
        return;
      }
    }
    const prev = this.freeIdx.get(name);
    if (prev !== undefined) {
      if (!this.dims.unify(prev, d)) throw shapeErr(`the index ${name} ranges over ${this.dims.resolve(prev)} here but over ${d} elsewhere`, n);
      return;
    }
    this.freeIdx.set(name, d);
  }

  private typeFn(n: NodeOf<'fn'>): Shape {
    const a = this.type(n.arg);
    const r = this.resolved(a);
    const scalar = this.isScalar(a);
    const known = !r.r.includes('?') && !r.c.includes('?');
    const fn: FnName = n.fn;
    switch (fn) {
      case 'tr':
      case 'det':
        if (scalar) return SCALAR;
        this.requireSquare(a, n.arg, fn === 'tr' ? 'a trace' : 'a determinant');
        return SCALAR;
      case 'bars':
        if (scalar) return SCALAR;
        if (r.c === '1' && r.r !== '1') throw shapeErr(`|·| of a ${showShape(r)}: write \\|x\\| for a vector's norm`, n);
        this.requireSquare(a, n.arg, '|·| (the determinant)');
        return SCALAR;
      case 'adj':
        this.requireSquare(a, n.arg, 'an adjugate');
        return a;
      case 'diag':
        if (!known) throw shapeErr('the shape of the argument of diag must be known', n.arg);
        if (r.c === '1') return { r: r.r, c: r.r };
        if (r.r === r.c) return { r: r.r, c: '1' };
        throw shapeErr(`diag takes a vector or a square matrix, got ${showShape(r)}`, n.arg);
      case 'vec':
        if (!known) throw shapeErr('the shape of the argument of vec must be known', n.arg);
        return { r: mulDim(r.r, r.c), c: '1' };
      case 'softmax':
        if (r.c !== '1') throw shapeErr(`softmax takes a vector, got ${showShape(r)}`, n.arg);
        return a;
      case 'eig':
        this.requireSquare(a, n.arg, 'eig');
        return { r: r.r, c: '1' };
      case 'sumall':
      case 'prodall':
        return SCALAR;
      case 'norm':
        if (!scalar && r.c !== '1' && r.r !== '1') throw shapeErr(`\\|·\\| of a ${showShape(r)} is ambiguous: write \\|X\\|_F (Frobenius) or \\|X\\|_2 (spectral)`, n);
        return SCALAR;
      case 'norm2':
      case 'normF':
        return SCALAR;
      default:
        // scalar functions: entrywise, or a matrix function of a square matrix (exp, sin, cos)
        return a;
    }
  }

  private wrtShape(w: Wrt): Shape {
    const node = w.node;
    if (node.k === 'sym') {
      if (this.scope.defs.has(node.name)) throw shapeErr(`${node.name} is defined, not a variable: differentiate with respect to a declared symbol`, node);
      const s = this.type(node);
      return s;
    }
    if (node.k === 'entry') {
      this.type(node);
      const base = node.of;
      if (base.k !== 'sym') throw shapeErr('a derivative is taken with respect to an entry of a declared symbol', node);
      return SCALAR;
    }
    if (node.k === 'fn' && node.fn === 'vec' && node.arg.k === 'sym') {
      return this.type(node);
    }
    throw shapeErr('a derivative is taken with respect to a declared symbol, one of its entries, or vec of it', node);
  }

  private typeDeriv(n: NodeOf<'deriv'>): Shape {
    const f = this.resolved(this.type(n.f));
    if (f.r.includes('?') || f.c.includes('?')) throw shapeErr('the shape of what is differentiated must be known', n.f);
    const shapes = n.wrt.map((w) => this.resolved(this.wrtShape(w)));
    n.wrt.forEach((w, k) => {
      const s = shapes[k]!;
      const name = w.node.k === 'sym' ? w.node.name : null;
      if (name && (s.r.includes('?') || s.c.includes('?'))) {
        throw new EngineError(
          `the variable ${name} is not declared and its shape cannot be inferred from its use: declare it, e.g. where="${name}: scalar" (or ${name}: n, ${name}: m×n)`,
          w.node.span,
          'unknown-symbol',
        );
      }
    });
    const layout = this.layout;
    const fScalar = f.r === '1' && f.c === '1';
    const fVec = f.c === '1';
    if (n.order === 2 || n.wrt.length === 2) {
      if (!fScalar) throw shapeErr(`a second derivative needs a scalar function, got a ${showShape(f)}`, n.f);
      const [x, y] = shapes.length === 2 ? shapes : [shapes[0]!, shapes[0]!];
      const xs = x!;
      const ys = y!;
      if (xs.c !== '1' && !(xs.r === '1' && xs.c === '1')) throw shapeErr('second derivatives are taken with respect to scalars or vectors', n.wrt[0]!.node);
      if (ys.c !== '1' && !(ys.r === '1' && ys.c === '1')) throw shapeErr('second derivatives are taken with respect to scalars or vectors', n.wrt[n.wrt.length - 1]!.node);
      return { r: xs.r, c: ys.r };
    }
    const w = n.wrt[0]!;
    const x = shapes[0]!;
    const xScalar = x.r === '1' && x.c === '1';
    if (w.transposed) {
      if (x.c !== '1') throw shapeErr(`∂/∂x^T needs a vector x, got a ${showShape(x)}`, w.node);
      if (!fVec) throw shapeErr(`∂f/∂x^T needs a scalar or vector f, got a ${showShape(f)}`, n.f);
      return { r: f.r, c: x.r };
    }
    if (n.nabla) {
      if (fScalar || xScalar) return fScalar ? x : f;
      if (fVec && x.c === '1') return { r: x.r, c: f.r };
      throw shapeErr(`∇ of a ${showShape(f)} with respect to a ${showShape(x)} is not a matrix`, n);
    }
    if (xScalar) {
      if (fVec && !fScalar && layout === 'denominator') return { r: '1', c: f.r };
      return f;
    }
    if (fScalar) {
      if (layout === 'numerator') return { r: x.c, c: x.r };
      return x;
    }
    if (fVec && x.c === '1') {
      if (layout === 'denominator') return { r: x.r, c: f.r };
      return { r: f.r, c: x.r };
    }
    throw shapeErr(
      `the derivative of a ${showShape(f)} with respect to a ${showShape(x)} is not a matrix: differentiate vec(F) with respect to vec(X)^T, or take a differential`,
      n,
    );
  }
}

function sizeMessage(n: Node): string {
  if (n.k === 'I') return 'the size of this identity matrix cannot be inferred from its use: write I_n';
  if (n.k === 'ones') return 'the length of this all-ones vector cannot be inferred from its use: write \\mathbf{1}_n';
  return 'the shape of this zero cannot be inferred from its use';
}

/** `a_{12}` of a matrix is (1,2); `x_{12}` of a vector is 12. */
function splitIndices(idx: RawIndex[], want: number): RawIndex[] {
  if (want === 2 && idx.length === 1 && idx[0]!.kind === 'num' && idx[0]!.text.length === 2) {
    return [
      { kind: 'num', text: idx[0]!.text[0]! },
      { kind: 'num', text: idx[0]!.text[1]! },
    ];
  }
  return idx;
}

export function describeNode(n: Node): string {
  if (n.k === 'sym') return n.name;
  return 'this expression';
}
