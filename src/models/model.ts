/**
 * The one interface every memory model implements (LKMM, SC, x86-TSO).
 *
 * A model is data, in the manner of herd7's cat files: a list of named
 * definitions (each a relation or a set, computed from earlier ones), then
 * named axioms (`acyclic hb as happens-before`) and flags. Definitions are
 * evaluated lazily and remembered, so checking stops computing as soon as an
 * axiom fails, and an explanation can ask for any relation by name.
 */

import { EventSet, Relation } from '../relations/algebra.js';
import type { Candidate } from '../executions/candidate.js';
import type { Primitive } from '../litmus/primitives.js';

/**
 * What a definition holds: a relation or a set of events, or (in a model
 * read from a cat file) some other value of the cat language, such as a
 * function or a set of relations, held opaquely.
 */
export type Value = Relation | EventSet | OtherValue;

export interface OtherValue {
  readonly kind: 'other';
  readonly value: unknown;
  isEmpty(): boolean;
}

export interface Definition {
  readonly name: string;
  /** True when the definition depends only on the skeleton (not on rf or co): computed once per skeleton. */
  readonly isStatic: boolean;
  /**
   * True for the few definitions (rfi, coi, fri) that pick out a
   * candidate's communication within one thread: values computed from them
   * and the skeleton alone are remembered per their contents.
   */
  readonly isInternalRoot?: boolean;
  readonly compute: (env: Env) => Value;
  /** One line: what the relation or set holds. */
  readonly doc: string;
}

export type AxiomTest = 'acyclic' | 'irreflexive' | 'empty';

export interface Axiom {
  /** The name herd7 would print: `happens-before`, `propagation`, ... */
  readonly name: string;
  readonly test: AxiomTest;
  /** The definition the test applies to. */
  readonly relation: string;
  readonly doc: string;
}

export interface Flag {
  readonly name: string;
  /** Raised when this definition is non-empty in some allowed execution. */
  readonly relation: string;
  readonly doc: string;
}

export interface MemoryModel {
  readonly name: string;
  readonly title: string;
  readonly definitions: readonly Definition[];
  readonly axioms: readonly Axiom[];
  readonly flags: readonly Flag[];
  /**
   * The axioms that say the enumeration's own coherence and atomicity
   * (acyclic po-loc | rf | co | fr, and nothing between an RMW's read and
   * write): when the model names both, the enumeration prunes by them. A
   * model built here says so by the names `coherence-rel` and `atomic-rel`.
   */
  readonly coherence?: readonly Axiom[];
  /**
   * True when every relation an axiom tests only grows as rf and co edges
   * are added (no difference or complement of anything that depends on rf
   * or co, and no use of the values read). Then a partial candidate that
   * already breaks an axiom is forbidden with any completion, and the
   * enumeration may stop there.
   */
  readonly monotone?: boolean;
  /**
   * The primitives a test may call under this model, when its macro file
   * defines them (herd7's `.def`); otherwise barrier-lab's own table.
   */
  readonly primitives?: ReadonlyMap<string, Primitive>;
  /** For a model that is not monotone on every skeleton: the skeletons it is monotone on. */
  readonly monotoneOn?: (skeleton: Candidate['skeleton']) => boolean;
}

/** The verdict of one model on one candidate execution. */
export interface ModelVerdict {
  readonly allowed: boolean;
  /** The first axiom that fails, in the model's order. */
  readonly violated: Axiom | null;
  /** Flags raised (only computed for allowed executions, when asked for). */
  readonly flags: readonly string[];
}

/**
 * How much of a candidate execution a value depends on, found by watching
 * what its computation reads: nothing but the skeleton (the same for every
 * candidate of that skeleton), the candidate's within-thread communication
 * only (see `ModelBuilder.internal`), or the whole candidate.
 */
const enum Reach {
  Skeleton = 0,
  Internal = 1,
  Candidate = 2,
}

/** Per skeleton, per model: values that depend on the skeleton alone, and those keyed by within-thread communication. */
interface SkeletonCache {
  readonly statics: Map<string, Value>;
  /** Whether each of those values is empty, once asked (flags are asked of every allowed execution). */
  readonly staticEmpty: Map<string, boolean>;
  /** Internal key → definition name → value. */
  readonly internal: Map<string, Map<string, Value>>;
}

const skeletonCache = new WeakMap<object, Map<MemoryModel, SkeletonCache>>();

/** How many distinct within-thread configurations of one skeleton have their values remembered. */
const MAX_INTERNAL_KEYS = 4096;

/**
 * The values of a model's definitions on one candidate execution, computed
 * on demand. A `let` definition whose computation turns out to read only
 * the skeleton (say `mb`, in a test without smp_mb__after_unlock_lock()) is
 * remembered for every candidate of that skeleton; one that reads only
 * within-thread communication (say `ppo`) is remembered per configuration of
 * it. The watching is automatic: a computation reads the candidate through
 * `x` or through other definitions, never behind the Env's back.
 */
export class Env {
  private readonly memo = new Map<string, Value>();
  private readonly cache: SkeletonCache;
  private readonly byName: ReadonlyMap<string, Definition>;
  /** The reach of each computation under way, innermost last. */
  private readonly reaching: Reach[] = [];
  /** The contents of the internal roots, once computed; `false` when the model has none. */
  private internalKey: string | false | null = null;
  private computingKey = false;
  private internalMap: Map<string, Value> | null = null;

  constructor(
    readonly model: MemoryModel,
    private readonly candidate: Candidate,
  ) {
    this.byName = definitionIndex(model);
    let perSkeleton = skeletonCache.get(candidate.skeleton);
    if (!perSkeleton) {
      perSkeleton = new Map();
      skeletonCache.set(candidate.skeleton, perSkeleton);
    }
    let cache = perSkeleton.get(model);
    if (!cache) {
      cache = { statics: new Map(), staticEmpty: new Map(), internal: new Map() };
      perSkeleton.set(model, cache);
    }
    this.cache = cache;
  }

  /** The candidate execution: reading it makes the value being computed depend on the candidate. */
  get x(): Candidate {
    this.reached(Reach.Candidate);
    return this.candidate;
  }

  /** The candidate's skeleton (events, po, dependencies), the same for all its candidates. */
  get skeleton(): Candidate['skeleton'] {
    return this.candidate.skeleton;
  }

  get n(): number {
    return this.candidate.skeleton.n;
  }

  private reached(reach: Reach): void {
    const top = this.reaching.length - 1;
    if (top >= 0 && this.reaching[top]! < reach) this.reaching[top] = reach;
  }

  value(name: string): Value {
    const def = this.byName.get(name);
    if (!def) throw new Error(`model ${this.model.name}: no definition named '${name}'`);
    const own = this.memo.get(name);
    if (own !== undefined) {
      this.reached(def.isInternalRoot ? Reach.Internal : Reach.Candidate);
      return own;
    }
    const fixed = this.cache.statics.get(name);
    if (fixed !== undefined) return fixed;
    const keyed = this.internalValues()?.get(name);
    if (keyed !== undefined) {
      this.reached(Reach.Internal);
      return keyed;
    }
    this.reaching.push(Reach.Skeleton);
    let v: Value;
    let reach: Reach;
    try {
      v = def.compute(this);
    } finally {
      reach = this.reaching.pop()!;
    }
    if (def.isStatic) reach = Reach.Skeleton;
    else if (def.isInternalRoot) reach = Reach.Internal;
    if (def.isStatic || reach === Reach.Skeleton) this.cache.statics.set(name, v);
    else if (reach === Reach.Internal && !def.isInternalRoot && this.internalValues() !== null) this.internalValues()!.set(name, v);
    else this.memo.set(name, v);
    this.reached(reach);
    return v;
  }

  /**
   * The values remembered for this candidate's within-thread communication
   * (the model's internal roots), or null when the skeleton already has too
   * many such configurations remembered.
   */
  private internalValues(): Map<string, Value> | null {
    if (this.internalMap !== null) return this.internalMap;
    if (this.internalKey === false || this.computingKey) return null;
    if (this.internalKey === null) {
      const roots = internalRoots(this.model);
      if (roots.length === 0) {
        this.internalKey = false;
        return null;
      }
      // Computing the roots reads the candidate; that is not the caller's reach.
      this.reaching.push(Reach.Skeleton);
      this.computingKey = true;
      try {
        this.internalKey = roots.map((d) => relationKey(this.r(d.name))).join('|');
      } finally {
        this.computingKey = false;
        this.reaching.pop();
      }
    }
    let values = this.cache.internal.get(this.internalKey);
    if (!values) {
      if (this.cache.internal.size >= MAX_INTERNAL_KEYS) return null;
      values = new Map();
      this.cache.internal.set(this.internalKey, values);
    }
    this.internalMap = values;
    return values;
  }

  /** Whether a definition's value is empty; remembered per skeleton for a value that depends on the skeleton alone. */
  isEmpty(name: string): boolean {
    const known = this.cache.staticEmpty.get(name);
    if (known !== undefined) return known;
    const v = this.value(name);
    const empty = v.isEmpty();
    if (this.cache.statics.get(name) === v) this.cache.staticEmpty.set(name, empty);
    return empty;
  }

  /** A relation by name. */
  r(name: string): Relation {
    const v = this.value(name);
    if (!(v instanceof Relation)) throw new Error(`model ${this.model.name}: '${name}' is a set, not a relation`);
    return v;
  }

  /** A set by name. */
  s(name: string): EventSet {
    const v = this.value(name);
    if (!(v instanceof EventSet)) throw new Error(`model ${this.model.name}: '${name}' is a relation, not a set`);
    return v;
  }
}

/** Whether a definition is known to be empty on every candidate of a skeleton (it depends on the skeleton alone). */
function staticallyEmpty(model: MemoryModel, skeleton: object, name: string): boolean {
  return skeletonCache.get(skeleton)?.get(model)?.staticEmpty.get(name) === true;
}

/** A relation's bits as a string, for keying a map. */
function relationKey(r: Relation): string {
  let key = '';
  for (let k = 0; k < r.bits.length; k++) if (r.bits[k] !== 0) key += `${k}:${r.bits[k]},`;
  return key;
}

const rootsCache = new WeakMap<MemoryModel, Definition[]>();

function internalRoots(model: MemoryModel): Definition[] {
  let roots = rootsCache.get(model);
  if (!roots) {
    roots = model.definitions.filter((d) => d.isInternalRoot === true);
    rootsCache.set(model, roots);
  }
  return roots;
}

const indexCache = new WeakMap<MemoryModel, Map<string, Definition>>();

function definitionIndex(model: MemoryModel): Map<string, Definition> {
  let index = indexCache.get(model);
  if (!index) {
    index = new Map(model.definitions.map((d) => [d.name, d]));
    indexCache.set(model, index);
  }
  return index;
}

export function holds(test: AxiomTest, value: Value): boolean {
  if (!(value instanceof Relation)) return value.isEmpty();
  switch (test) {
    case 'acyclic': return value.isAcyclic();
    case 'irreflexive': return value.isIrreflexive();
    case 'empty': return value.isEmpty();
  }
}

/**
 * Checks the axioms in order; computes the flags of an allowed execution when
 * `withFlags` (or when it is a function that, asked once the axioms hold,
 * says so), except those in `known` (already raised by another execution:
 * a test's flags are a union, so they need not be computed again).
 */
export function checkModel(model: MemoryModel, x: Candidate, withFlags: boolean | (() => boolean), known?: ReadonlySet<string>, axiomsHold = false): ModelVerdict {
  // Known to be allowed, and every flag still to find empty on this skeleton whatever the candidate: nothing to compute.
  if (axiomsHold && model.flags.every((f) => known?.has(f.name) || staticallyEmpty(model, x.skeleton, f.relation))) {
    if (typeof withFlags === 'function') withFlags();
    return { allowed: true, violated: null, flags: [] };
  }
  const env = new Env(model, x);
  const violated = axiomsHold ? null : brokenAxiom(model, env);
  if (violated) return { allowed: false, violated, flags: [] };
  const wanted = typeof withFlags === 'function' ? withFlags() : withFlags;
  const flags = wanted ? model.flags.filter((f) => !known?.has(f.name) && !env.isEmpty(f.relation)).map((f) => f.name) : [];
  return { allowed: true, violated: null, flags };
}

/**
 * For a monotone model, given `upper`, a partial candidate with every rf and
 * co edge its completions could still have: true when every completion is
 * allowed, since the axioms hold on `upper`, and so on anything smaller.
 * (Flags are not monotone, data races being differences: each completion's
 * are still computed, see `checkModel`'s `axiomsHold`. Those that depend on
 * the skeleton alone come from its cache.)
 *
 * `upper` lets a read read from several writes at once, which no completion
 * does; with them, `fr` puts the read before a write it also reads from, a
 * coherence cycle in no completion. Axioms the enumeration already enforces
 * exactly on every candidate it yields (coherence and atomicity, when it
 * prunes by them) are named in `enforced` and left out.
 */
export function allowsEveryCompletion(model: MemoryModel, upper: Candidate, enforced: ReadonlySet<Axiom> = new Set()): boolean {
  return brokenAxiom(model, new Env(model, upper), enforced) === null;
}

/** The first of the model's axioms (but those in `skipped`) that fails, in the model's order; null when all hold. */
function brokenAxiom(model: MemoryModel, env: Env, skipped?: ReadonlySet<Axiom>): Axiom | null {
  for (const axiom of model.axioms) {
    if (!skipped?.has(axiom) && !holds(axiom.test, env.value(axiom.relation))) return axiom;
  }
  return null;
}

/** A small builder so that model files read as a list of definitions. */
export class ModelBuilder {
  readonly definitions: Definition[] = [];
  readonly axioms: Axiom[] = [];
  readonly flags: Flag[] = [];

  /** A definition that depends only on the skeleton. */
  fixed(name: string, doc: string, compute: (env: Env) => Value): void {
    this.definitions.push({ name, doc, compute, isStatic: true });
  }

  /** A definition that may depend on rf or co (the Env finds out whether it does, per skeleton). */
  let(name: string, doc: string, compute: (env: Env) => Value): void {
    this.definitions.push({ name, doc, compute, isStatic: false });
  }

  /**
   * A definition that depends on rf or co, but relates only events of one
   * thread to each other, whatever the candidate: what is computed from such
   * definitions (and the skeleton) alone is remembered per their contents.
   */
  internal(name: string, doc: string, compute: (env: Env) => Value): void {
    this.definitions.push({ name, doc, compute, isStatic: false, isInternalRoot: true });
  }

  axiom(test: AxiomTest, relation: string, name: string, doc: string): void {
    this.axioms.push({ test, relation, name, doc });
  }

  flag(relation: string, name: string, doc: string): void {
    this.flags.push({ relation, name, doc });
  }

  build(name: string, title: string, options: { monotone?: boolean } = {}): MemoryModel {
    return { name, title, definitions: this.definitions, axioms: this.axioms, flags: this.flags, monotone: options.monotone === true };
  }
}
