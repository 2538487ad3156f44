/**
 * A cat model (herd7's model language) as a `MemoryModel`: every `let` of
 * the files becomes a named definition, every check an axiom, every
 * `flag ~empty` a flag, in the files' order. The definitions are computed
 * on demand by the same `Env` as the built-in models, so what depends on
 * the skeleton alone is computed once per skeleton (found by watching what
 * each definition reads), and explanations can ask for any relation by the
 * name the file gives it.
 *
 * A name defined again (`let rf = rf | rf-lf | rf-ru` in lock.cat) is a new
 * definition that reads the old one: the last keeps the plain name (so
 * `rf`, `co`, `fence` are what the model ends with), earlier ones are
 * numbered `rf@1`, `rf@2`, ... in the order they were made.
 */

import { EventSet, Relation } from '../../relations/algebra.js';
import type { Axiom, AxiomTest, Definition, Env, Flag, MemoryModel, OtherValue, Value } from '../model.js';
import type { CatFile, Expr, Instruction, Pos } from './ast.js';
import { showExpr } from './ast.js';
import { evaluate, bind, Scope, describe, type CatFunction, type CatValue, type EvaluationContext, type Memo } from './evaluate.js';
import { HOST_DEFINITIONS, HOST_FUNCTION_NAMES, HostError, hostFunction, tagSetName, taggedEvents } from './host.js';
import { LIBRARY } from './library.js';
import { primitivesFromMacros } from './macros.js';
import { PRIMITIVES } from '../../litmus/primitives.js';
import { compileExpression, type Compiled } from './closures.js';
import { CONSTANT, EMPTY, Growth, GrowthAnalysis, MONOTONE, type Shape } from './monotone.js';
import type { Skeleton } from '../../executions/skeleton.js';
import { CatError, parseCat } from './parser.js';

export interface CatSource {
  readonly file: string;
  readonly text: string;
}

export interface CatModelOptions {
  /** The model (`linux-kernel.cat`). */
  readonly cat: CatSource;
  /** The bell file read before it (`linux-kernel.bell`), as herd7's `-bell` or a cfg's `bell`. */
  readonly bell?: CatSource;
  /** Variants asked for (`lkmmv2`), as herd7's `-variant`. */
  readonly variants?: readonly string[];
  /**
   * Finds a file a model includes, given the including file's name; null
   * when there is none (then barrier-lab's own library is used, and failing
   * that, the include is an error).
   */
  readonly include?: (name: string, from: string) => CatSource | null;
  /** The model's name in results (default: the cat file's name). */
  readonly name?: string;
  /** The macro file (`linux-kernel.def`): the primitives tests may call, read from their bodies. */
  readonly macros?: CatSource;
}

/** A name's meaning while the files are read: a definition, a function, a host function, or a constant. */
export type Bound =
  | { readonly kind: 'def'; readonly ref: DefinitionRef }
  | { readonly kind: 'fun'; readonly params: readonly string[]; readonly body: Expr; readonly names: Names; readonly file: string }
  | { readonly kind: 'host'; readonly name: string }
  | { readonly kind: 'const'; readonly value: CatValue };

export type Names = Map<string, Bound>;

/** A definition under construction; its id is settled once every file is read. */
export interface DefinitionRef {
  id: string;
  readonly name: string;
  readonly doc: string;
  readonly isStatic: boolean;
  readonly compute: (env: Env) => Value;
}

/** The host's lock events: a skeleton without them may make a model monotone that is not on every skeleton. */
const LOCK_SETS = ['LKR', 'LKW', 'UL', 'LF', 'RL', 'RU'] as const;

function withoutLocks(sk: Skeleton): boolean {
  return LOCK_SETS.every((k) => sk.sets.kind[k].isEmpty());
}

export function catModel(options: CatModelOptions): MemoryModel {
  const variants = new Set(options.variants ?? []);
  const refs: DefinitionRef[] = [];
  const names: Names = new Map();
  const axioms: Array<{ test: AxiomTest; ref: DefinitionRef; name: string; doc: string; expr: Expr; names: Names }> = [];
  const flags: Array<{ name: string; ref: DefinitionRef; doc: string }> = [];
  const included = new Set<string>();
  const choices = new Map<DefinitionRef, { expr: Expr; names: Names }>();
  /** Filled once the files are read (see below); read only when candidates are checked. */
  const constantParts = new Set<Expr>();
  const hostRefs = new Map<DefinitionRef, Shape>();

  const define = (name: string, doc: string, isStatic: boolean, compute: (env: Env) => Value): DefinitionRef => {
    const ref: DefinitionRef = { id: name, name, doc, isStatic, compute };
    refs.push(ref);
    names.set(name, { kind: 'def', ref });
    return ref;
  };
  for (const h of HOST_DEFINITIONS) hostRefs.set(define(h.name, h.doc, h.isStatic, h.compute), h.name === 'emptyset' ? EMPTY : h.isStatic ? CONSTANT : MONOTONE);
  for (const f of HOST_FUNCTION_NAMES) names.set(f, { kind: 'host', name: f });

  /** A definition computing `expr` with the names as they are now. */
  const defineExpr = (name: string, expr: Expr, file: string): DefinitionRef => {
    checkNames(expr, names, file);
    const snapshot = new Map(names);
    // The names it reads, looked up once here rather than in the whole snapshot at every evaluation.
    const reads = new Map([...freeNames(expr)].flatMap((n) => (snapshot.has(n) ? [[n, snapshot.get(n)!] as const] : [])));
    // The context of the skeleton met last (candidates come skeleton by skeleton).
    let lastSkeleton: object | null = null;
    let lastContext: EvaluationContext | null = null;
    const context = (env: Env): EvaluationContext & { memo: Memo } => {
      if (env.skeleton !== lastSkeleton) {
        lastSkeleton = env.skeleton;
        lastContext = memoContext(env, file, variants, constantParts);
      }
      return lastContext as EvaluationContext & { memo: Memo };
    };
    // Made on first use: the operations remembered per skeleton are known once every file is read.
    let compiled: Compiled | null = null;
    const ref = define(name, `${file}:${expr.pos.line}`, false, (env) => {
      compiled ??= compileExpression(expr, {
        file,
        kept: constantParts,
        context,
        scope: (e) => scopeOver(reads, e, file, variants),
        definition: (n) => {
          const b = reads.get(n);
          if (b?.kind === 'def') return (e) => fromValue(e.value(b.ref.id));
          if (b?.kind === 'const') return () => b.value;
          return null;
        },
        hostFunction: (n) => {
          const b = reads.get(n);
          return b?.kind === 'host' ? (e) => resolve(b, e, file, variants) as CatFunction : null;
        },
      });
      return toValue(compiled(env));
    });
    sources.set(ref, { expr, names: snapshot });
    return ref;
  };

  const read = (source: CatSource): CatFile => {
    const parsed = parseCat(source.text, source.file);
    for (const ins of parsed.instructions) instruction(ins, parsed);
    return parsed;
  };

  const instruction = (ins: Instruction, parsed: CatFile): void => {
    const file = parsed.file;
    switch (ins.kind) {
      case 'let': {
        if (!ins.rec) {
          const bound = ins.bindings.map((b): [string, Bound] => {
            if (b.value.kind === 'fun') {
              checkNames(b.value.body, withLocals(names, b.value.params), file);
              return [b.name, { kind: 'fun', params: b.value.params, body: b.value.body, names: new Map(names), file }];
            }
            const ref = defineExpr(b.name, b.value, file);
            names.delete(b.name);
            return [b.name, { kind: 'def', ref }];
          });
          for (const [name, b] of bound) names.set(name, b);
          return;
        }
        // let rec: functions see each other; data is the fixed point of all its bindings together, from empty.
        const shared: Names = new Map(names);
        for (const b of ins.bindings) if (b.value.kind === 'fun') shared.set(b.name, { kind: 'fun', params: b.value.params, body: b.value.body, names: shared, file });
        const data = ins.bindings.filter((b) => b.value.kind !== 'fun');
        for (const b of ins.bindings) if (b.value.kind === 'fun') names.set(b.name, shared.get(b.name)!);
        if (data.length === 0) return;
        const locals = withLocals(shared, data.map((b) => b.name));
        for (const b of data) checkNames(b.value, locals, file);
        const group = define(`${data.map((b) => b.name).join('+')}#fixpoint`, `${file}:${ins.pos.line}`, false, (env) => {
          const scope = new Scope(null, (name) => resolve(shared.get(name), env, file, variants));
          const inner = new Scope(scope);
          bind(true, data, inner, contextOf(env, file, variants));
          return other(data.map((b) => inner.get(b.name)!));
        });
        names.delete(group.name);
        const members = data.map((b, i) => define(b.name, `${file}:${b.pos.line}`, false, (env) => toValue((fromValue(env.value(group.id)) as { items: readonly CatValue[] }).items[i]!)));
        // For the growth analysis, each member is its binding, reading the others as definitions.
        const recNames: Names = new Map(shared);
        members.forEach((m, i) => recNames.set(data[i]!.name, { kind: 'def', ref: m }));
        members.forEach((m, i) => sources.set(m, { expr: data[i]!.value, names: recNames }));
        return;
      }
      case 'check': {
        if (ins.negated && !ins.flag) throw new CatError(file, ins.pos, `'~${ins.test}' as an axiom is not supported`, 'barrier-lab reads the cat constructs the kernel\'s model files use');
        if (ins.flag && !(ins.negated && ins.test === 'empty')) throw new CatError(file, ins.pos, `a flag is supported as 'flag ~empty ... as NAME', not 'flag ${ins.negated ? '~' : ''}${ins.test}'`);
        const name = ins.name ?? (ins.expr.kind === 'name' ? ins.expr.name : `${ins.test}-${axioms.length + flags.length + 1}`);
        const bound = ins.expr.kind === 'name' ? names.get(ins.expr.name) : undefined;
        let ref: DefinitionRef;
        if (bound?.kind === 'def') {
          ref = bound.ref;
        } else {
          const before = names.get(`${name}-rel`);
          ref = defineExpr(`${name}-rel`, ins.expr, file);
          // The relation is named for the check, not bound for the files to read.
          if (before) names.set(`${name}-rel`, before);
          else names.delete(`${name}-rel`);
        }
        const doc = `as ${file.split('/').pop()}:${ins.pos.line} states it`;
        if (ins.flag) flags.push({ name, ref, doc });
        else axioms.push({ test: ins.test, ref, name, doc, expr: ins.expr, names: new Map(names) });
        return;
      }
      case 'include': {
        if (included.has(ins.file)) return;
        included.add(ins.file);
        const found = options.include?.(ins.file, file) ?? (LIBRARY.has(ins.file) ? { file: ins.file, text: LIBRARY.get(ins.file)! } : null);
        if (!found) throw new CatError(file, ins.pos, `cannot find '${ins.file}'`, 'an included file is looked for next to the including one, then in the directories given with -I');
        read(found);
        return;
      }
      case 'with': {
        checkNames(ins.from, names, file);
        const snapshot = new Map(names);
        const choice = define(ins.name, `${file}:${ins.pos.line}: with ${ins.name} from ${showExpr(ins.from)}`, false, (env) => {
          const choices = evaluate(ins.from, scopeOver(snapshot, env, file, variants), contextOf(env, file, variants));
          if (choices instanceof EventSet || choices instanceof Relation || choices.kind !== 'choices') {
            throw new CatError(file, ins.from.pos, `'with ${ins.name} from' needs the coherence orders or cross(...), not ${describe(choices)}`, 'barrier-lab chooses rf and co itself; a model can choose among them, not among other sets');
          }
          // A choice the skeleton alone decides: not reading the candidate, it is computed once per skeleton.
          if (choices.fixed !== undefined) return choices.fixed ?? Relation.empty(env.n);
          const chosen = choices.pick(env.x.rf, env.x.co, env.x.partial === true);
          if (!chosen) throw new CatError(file, ins.pos, `the candidate execution made none of the choices 'with ${ins.name}' allows`, 'barrier-lab\'s enumeration and this model disagree on which executions exist');
          return chosen;
        });
        choices.set(choice, { expr: ins.from, names: snapshot });
        return;
      }
      case 'enum': {
        names.set(ins.name, { kind: 'const', value: { kind: 'values', items: ins.tags.map((t) => ({ kind: 'tag', name: t })) } });
        for (const tag of ins.tags) hostRefs.set(define(tagSetName(tag), `events tagged '${tag}`, true, (env) => taggedEvents(env.skeleton, tag)), CONSTANT);
        return;
      }
      case 'instructions':
      case 'show':
        return;
    }
  };

  read(options.include?.('stdlib.cat', options.cat.file) ?? { file: 'stdlib.cat', text: LIBRARY.get('stdlib.cat')! });
  included.add('stdlib.cat');
  if (options.bell) read(options.bell);
  const title = read(options.cat).title;

  // The last definition of each name keeps it; earlier ones are numbered.
  const total = new Map<string, number>();
  for (const r of refs) total.set(r.name, (total.get(r.name) ?? 0) + 1);
  const seen = new Map<string, number>();
  for (const r of refs) {
    const k = (seen.get(r.name) ?? 0) + 1;
    seen.set(r.name, k);
    r.id = k === total.get(r.name) ? r.name : `${r.name}@${k}`;
  }
  const definitions: Definition[] = refs.map((r) => ({ name: r.id, doc: r.doc, isStatic: r.isStatic, compute: r.compute }));
  const modelAxioms: Axiom[] = axioms.map((a) => ({ name: a.name, test: a.test, relation: a.ref.id, doc: a.doc }));
  const modelFlags: Flag[] = flags.map((f) => ({ name: f.name, relation: f.ref.id, doc: f.doc }));
  const coherence = modelAxioms.filter((a, i) => isCoherence(axioms[i]!) || isAtomicity(axioms[i]!));
  const file = options.cat.file.split('/').pop()!;
  // The growth analysis, the host's sets named in `assumeEmpty` taken as empty.
  const analysis = (assumeEmpty: ReadonlySet<string>): GrowthAnalysis => new GrowthAnalysis({
    definition: (ref) => {
      const shape = hostRefs.get(ref);
      return shape && assumeEmpty.has(ref.name) ? EMPTY : (shape ?? null);
    },
    choice: (ref) => choices.get(ref) ?? null,
    source: (ref) => sources.get(ref) ?? null,
    isOrder: (ref) => hostRefs.has(ref) && ref.name === 'co',
    variants,
  });
  const grows = (a: GrowthAnalysis): boolean => axioms.every((x) => a.definition(x.ref).growth !== Growth.Unknown);
  // Monotone in rf and co (so that partial executions may be pruned): on every skeleton, or on those without locks.
  const general = analysis(new Set());
  const monotone = grows(general);
  // Operations that read the skeleton alone, inside definitions that do not: remembered per skeleton.
  for (const r of refs) general.definition(r);
  for (const [expr, shape] of general.shapes) {
    if (shape.growth === Growth.Constant && (expr.kind === 'binary' || expr.kind === 'unary' || expr.kind === 'identity' || expr.kind === 'apply')) constantParts.add(expr);
  }
  const monotoneWithoutLocks = monotone || grows(analysis(new Set(LOCK_SETS)));
  return {
    name: options.name ?? file,
    title: title ?? file,
    definitions,
    axioms: modelAxioms,
    flags: modelFlags,
    ...(coherence.length === 2 ? { coherence } : {}),
    ...(options.macros ? { primitives: new Map([...PRIMITIVES, ...primitivesFromMacros(options.macros.text, options.macros.file, PRIMITIVES)]) } : {}),
    monotone,
    ...(!monotone && monotoneWithoutLocks ? { monotoneOn: withoutLocks } : {}),
  };
}

/**
 * Per skeleton, per model (its set of operations that read the skeleton
 * alone), per file: the context its definitions are evaluated in, with the
 * memo of those operations' values.
 */
const skeletonContexts = new WeakMap<object, WeakMap<ReadonlySet<Expr>, Map<string, EvaluationContext>>>();

function memoContext(env: Env, file: string, variants: ReadonlySet<string>, kept: ReadonlySet<Expr>): EvaluationContext {
  let perModel = skeletonContexts.get(env.skeleton);
  if (!perModel) skeletonContexts.set(env.skeleton, (perModel = new WeakMap()));
  let perFile = perModel.get(kept);
  if (!perFile) perModel.set(kept, (perFile = new Map()));
  let ctx = perFile.get(file);
  if (!ctx) {
    // One memo for all the files of the model: an operation is one node of one file.
    const memo: Memo = perFile.values().next().value?.memo ?? { kept, values: new Map() };
    perFile.set(file, (ctx = { file, n: env.n, variants, memo }));
  }
  return ctx;
}

function contextOf(env: Env, file: string, variants: ReadonlySet<string>): EvaluationContext {
  return { file, n: env.n, variants };
}

/** The top scope of an expression: the names as they were where it was written, read through the Env. */
function scopeOver(names: Names, env: Env, file: string, variants: ReadonlySet<string>): Scope {
  return new DefinitionScope(names, env, file, variants);
}

class DefinitionScope extends Scope {
  constructor(
    private readonly names: Names,
    private readonly env: Env,
    private readonly file: string,
    private readonly variants: ReadonlySet<string>,
  ) {
    super(null);
  }

  override get(name: string): CatValue | undefined {
    return resolve(this.names.get(name), this.env, this.file, this.variants);
  }
}

/** Per candidate, the host functions its definitions have used so far (by calling file, for the location of errors). */
const hostFunctionsOf = new WeakMap<Env, Map<string, CatFunction>>();

function resolve(b: Bound | undefined, env: Env, file: string, variants: ReadonlySet<string>): CatValue | undefined {
  if (!b) return undefined;
  switch (b.kind) {
    case 'def': return fromValue(env.value(b.ref.id));
    case 'const': return b.value;
    case 'fun': {
      const { params, body, names } = b;
      return {
        kind: 'function',
        arity: Math.max(1, params.length),
        call: (args) => {
          const inner = new Scope(scopeOver(names, env, b.file, variants));
          params.forEach((p, i) => inner.set(p, args[i]!));
          return evaluate(body, inner, contextOf(env, b.file, variants));
        },
      };
    }
    case 'host': {
      let fns = hostFunctionsOf.get(env);
      if (!fns) hostFunctionsOf.set(env, (fns = new Map()));
      const key = `${file}\u0000${b.name}`;
      const known = fns.get(key);
      if (known) return known;
      const f = hostFunction(env, b.name)!;
      const located: CatFunction = {
        kind: 'function',
        arity: f.arity,
        call: (args, pos: Pos) => {
          try {
            return f.call(args, pos);
          } catch (e) {
            if (e instanceof HostError) throw new CatError(file, pos, e.message);
            throw e;
          }
        },
      };
      fns.set(key, located);
      return located;
    }
  }
}

/** A cat value as a definition's value: sets and relations as they are, anything else held opaquely. */
function toValue(v: CatValue): Value {
  if (v instanceof EventSet || v instanceof Relation) return v;
  return other(v);
}

function other(v: CatValue | readonly CatValue[]): OtherValue {
  const items = Array.isArray(v) ? { kind: 'values' as const, items: v as readonly CatValue[] } : (v as CatValue);
  return { kind: 'other', value: items, isEmpty: () => !(items instanceof EventSet) && !(items instanceof Relation) && (items.kind === 'empty' || (items.kind === 'values' && items.items.length === 0)) };
}

function fromValue(v: Value): CatValue {
  if (v instanceof EventSet || v instanceof Relation) return v;
  return v.value as CatValue;
}

function withLocals(names: Names, locals: readonly string[]): Names {
  const m = new Map(names);
  for (const l of locals) m.set(l, { kind: 'const', value: { kind: 'empty' } });
  return m;
}

/**
 * Calls `each` with every name an expression reads from outside itself (not
 * its parameters or local definitions), where it is read; with `skipTry`,
 * not those inside `try`, whose failure is the point.
 */
function forEachFreeName(e: Expr, each: (name: string, pos: Pos) => void, skipTry = false): void {
  const visit = (x: Expr, bound: ReadonlySet<string>): void => {
    switch (x.kind) {
      case 'name': if (!bound.has(x.name)) each(x.name, x.pos); return;
      case 'empty': case 'universe': case 'tag': case 'string': return;
      case 'binary': visit(x.left, bound); visit(x.right, bound); return;
      case 'unary': case 'identity': visit(x.operand, bound); return;
      case 'set': case 'tuple': x.items.forEach((i) => visit(i, bound)); return;
      case 'apply': visit(x.fn, bound); visit(x.arg, bound); return;
      case 'fun': visit(x.body, new Set([...bound, ...x.params])); return;
      case 'let': {
        const inner = new Set([...bound, ...x.bindings.map((b) => b.name)]);
        for (const b of x.bindings) visit(b.value, x.rec ? inner : bound);
        visit(x.body, inner);
        return;
      }
      case 'if': visit(x.then, bound); visit(x.otherwise, bound); return;
      case 'try': if (!skipTry) visit(x.body, bound); visit(x.fallback, bound); return;
    }
  };
  visit(e, new Set());
}

/** The names an expression reads from outside itself. */
function freeNames(e: Expr): Set<string> {
  const found = new Set<string>();
  forEachFreeName(e, (name) => found.add(name));
  return found;
}

/** Every name an expression reads must be defined where it is written (but inside `try`). */
function checkNames(e: Expr, names: ReadonlyMap<string, unknown>, file: string): void {
  forEachFreeName(e, (name, pos) => {
    if (!names.has(name)) throw new CatError(file, pos, `'${name}' is not defined`);
  }, true);
}

/** Where a definition made from an expression came from: its expression and the names it read. */
const sources = new WeakMap<DefinitionRef, { expr: Expr; names: Names }>();

const COHERENCE_LEAVES = ['po-loc', 'rf', 'co', 'fr'];

/**
 * The definitions at the leaves of a union (`a | b | c`), looking through
 * definitions that are unions themselves (`com`) down to po-loc, rf, co and
 * fr; null when something else than names and unions is there.
 */
function unionLeaves(e: Expr, names: Names): string[] | null {
  if (e.kind === 'binary' && e.op === '|') {
    const l = unionLeaves(e.left, names);
    const r = unionLeaves(e.right, names);
    return l && r ? [...l, ...r] : null;
  }
  if (e.kind !== 'name') return null;
  const b = names.get(e.name);
  if (b?.kind !== 'def') return null;
  const source = sources.get(b.ref);
  if (COHERENCE_LEAVES.includes(b.ref.name) || !source) return [b.ref.name];
  return unionLeaves(source.expr, source.names);
}

/**
 * Whether an axiom is the coherence the enumeration prunes by: acyclic
 * over po-loc, rf, co and fr, as the model defines them (the kernel's
 * `acyclic po-loc | com as coherence`, com = rf | co | fr).
 */
function isCoherence(a: { test: AxiomTest; expr: Expr; names: Names }): boolean {
  if (a.test !== 'acyclic') return false;
  const leaves = unionLeaves(a.expr, a.names);
  return leaves !== null && leaves.length === COHERENCE_LEAVES.length && COHERENCE_LEAVES.every((w) => leaves.includes(w));
}

/** Whether an axiom is RMW atomicity as the enumeration prunes by it: `empty rmw & (fre ; coe)`. */
function isAtomicity(a: { test: AxiomTest; expr: Expr }): boolean {
  return a.test === 'empty' && showExpr(a.expr) === '(rmw & (fre ; coe))';
}
