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

export type Value = Relation | EventSet;

export interface Definition {
  readonly name: string;
  /** True when the definition depends only on the skeleton (not on rf or co): computed once per skeleton. */
  readonly isStatic: boolean;
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
   * True when every relation an axiom tests only grows as rf and co edges
   * are added (no difference or complement of anything that depends on rf
   * or co, and no use of the values read). Then a partial candidate that
   * already breaks an axiom is forbidden with any completion, and the
   * enumeration may stop there.
   */
  readonly monotone?: boolean;
}

/** The verdict of one model on one candidate execution. */
export interface ModelVerdict {
  readonly allowed: boolean;
  /** The first axiom that fails, in the model's order. */
  readonly violated: Axiom | null;
  /** Flags raised (only computed for allowed executions, when asked for). */
  readonly flags: readonly string[];
}

/** Per skeleton, per model: the values of static definitions. */
const staticCache = new WeakMap<object, Map<string, Map<string, Value>>>();

/** The values of a model's definitions on one candidate execution, computed on demand. */
export class Env {
  private readonly memo = new Map<string, Value>();
  private readonly statics: Map<string, Value>;
  private readonly byName: ReadonlyMap<string, Definition>;

  constructor(
    readonly model: MemoryModel,
    readonly x: Candidate,
  ) {
    this.byName = definitionIndex(model);
    let perSkeleton = staticCache.get(x.skeleton);
    if (!perSkeleton) {
      perSkeleton = new Map();
      staticCache.set(x.skeleton, perSkeleton);
    }
    let statics = perSkeleton.get(model.name);
    if (!statics) {
      statics = new Map();
      perSkeleton.set(model.name, statics);
    }
    this.statics = statics;
  }

  get n(): number {
    return this.x.skeleton.n;
  }

  value(name: string): Value {
    const def = this.byName.get(name);
    if (!def) throw new Error(`model ${this.model.name}: no definition named '${name}'`);
    const cache = def.isStatic ? this.statics : this.memo;
    let v = cache.get(name);
    if (v === undefined) {
      v = def.compute(this);
      cache.set(name, v);
    }
    return v;
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
  if (value instanceof EventSet) return value.isEmpty();
  switch (test) {
    case 'acyclic': return value.isAcyclic();
    case 'irreflexive': return value.isIrreflexive();
    case 'empty': return value.isEmpty();
  }
}

/**
 * Checks the axioms in order; computes the flags of an allowed execution when
 * `withFlags`, except those in `known` (already raised by another execution:
 * a test's flags are a union, so they need not be computed again).
 */
export function checkModel(model: MemoryModel, x: Candidate, withFlags: boolean, known?: ReadonlySet<string>): ModelVerdict {
  const env = new Env(model, x);
  for (const axiom of model.axioms) {
    if (!holds(axiom.test, env.value(axiom.relation))) return { allowed: false, violated: axiom, flags: [] };
  }
  const flags = withFlags ? model.flags.filter((f) => !known?.has(f.name) && !isEmptyValue(env.value(f.relation))).map((f) => f.name) : [];
  return { allowed: true, violated: null, flags };
}

function isEmptyValue(v: Value): boolean {
  return v.isEmpty();
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

  /** A definition that depends on rf or co. */
  let(name: string, doc: string, compute: (env: Env) => Value): void {
    this.definitions.push({ name, doc, compute, isStatic: false });
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
