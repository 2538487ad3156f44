/**
 * Checking a test: run every candidate execution past the model, keep the
 * allowed ones, and summarise them as herd7 does (states, Positive/Negative
 * counts, flags, the verdict).
 */

import type { LitmusTest, Prop, Quantifier } from '../litmus/ast.js';
import { buildProgram, type Program } from '../events/program.js';
import { address, isUnsolved, showValue, valueKey, type Value } from '../events/types.js';
import type { Candidate } from '../executions/candidate.js';
import { candidates, type RequiredRegister } from '../executions/enumerate.js';
import { orbitOf, renamings, threadSymmetry, type ThreadSymmetry } from '../executions/symmetry.js';
import { anchoredInRing, ringSymmetry, rotations, type Renaming, type RingSymmetry } from '../executions/rotation.js';
import { Budget, CheckLimitError } from '../executions/budget.js';
import { allowsEveryCompletion, checkModel, type Axiom, type MemoryModel, type ModelVerdict } from '../models/model.js';
import { lkmm } from '../models/lkmm.js';
import { compileProp, evaluate, observableLabel, observables, type Observable } from './condition.js';
import { evaluate as evaluateTerm, NO_RESULT } from '../events/terms.js';
import { LitmusError } from '../litmus/errors.js';

export interface CheckOptions {
  /** The memory model (default: the LKMM). */
  readonly model?: MemoryModel;
  /** Keep the allowed executions in the result (for explanations and `--json --executions`). */
  readonly keepExecutions?: boolean;
  /** Stop with an error after examining this many candidate executions. */
  readonly maxCandidates?: number;
  /** Stop with an error after this many milliseconds. */
  readonly timeoutMs?: number;
  /** Called now and then with the number of candidates examined so far. */
  readonly onProgress?: (examined: number) => void;
  /**
   * Called with each allowed execution the enumeration meets (with alike
   * threads counted by orbit, one per orbit, standing for its renamings).
   */
  readonly onAllowed?: (x: Candidate) => void;
  /**
   * Count the executions of interchangeable threads (identical code) by
   * orbit instead of enumerating each (default true; the counts are the
   * same either way). Not used when the executions are kept.
   */
  readonly symmetry?: boolean;
}

/** One final state: the observed values, in herd7's order. */
export interface FinalState {
  readonly values: ReadonlyArray<readonly [label: string, value: Value]>;
  /** How many allowed executions end in this state. */
  readonly executions: number;
  /** Whether the state satisfies the condition's proposition. */
  readonly satisfies: boolean;
}

export interface CheckResult {
  readonly test: LitmusTest;
  /** The test's name as herd7 prints it (without a `.litmus` suffix). */
  readonly name: string;
  readonly model: string;
  readonly quantifier: Quantifier;
  /** Distinct final states of the allowed executions (after the filter), sorted as herd7 sorts them. */
  readonly states: readonly FinalState[];
  /** Allowed executions whose final state satisfies the proposition. */
  readonly positive: number;
  /** Allowed executions whose final state does not. */
  readonly negative: number;
  /** herd7's `Ok` / `No`: whether the condition (with its quantifier) holds. */
  readonly ok: boolean;
  readonly observation: 'Never' | 'Sometimes' | 'Always';
  readonly flags: readonly string[];
  /** Candidate executions examined, and allowed executions that pass the filter (herd7 drops the others before checking them). */
  readonly candidates: number;
  readonly allowed: number;
  readonly executions: readonly Candidate[] | null;
}

export { CheckLimitError };

/** Reads a register or location of a candidate's final state. */
export function finalValue(x: Candidate, o: Observable): Value {
  if (o.kind === 'location') return x.finalValues.get(o.location) ?? 0;
  return x.registers[o.thread]?.get(o.register) ?? 0;
}

export function check(test: LitmusTest, options: CheckOptions = {}): CheckResult {
  const program = buildProgram(test, undefined, options.model?.primitives);
  return checkProgram(program, options);
}

export function checkProgram(program: Program, options: CheckOptions = {}): CheckResult {
  const budget = new Budget({
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.maxCandidates !== undefined ? { maxCandidates: options.maxCandidates } : {}),
    ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
  });
  const symmetry = options.keepExecutions || options.symmetry === false ? null : symmetryOf(program);
  if (symmetry) {
    try {
      return checkWith(program, options, budget, symmetry);
    } catch (e) {
      if (!(e instanceof EveryExecutionNeeded)) throw e;
    }
  }
  // (A fallback from counting by orbit keeps the same budget: its time and candidates count.)
  return checkWith(program, options, budget, null);
}

/**
 * How executions are counted by orbit, if at all: interchangeable threads
 * (identical code), or else a ring (code alike once locations are renamed).
 */
type Symmetry =
  | { readonly kind: 'classes'; readonly classes: ThreadSymmetry }
  | { readonly kind: 'ring'; readonly ring: RingSymmetry };

function symmetryOf(program: Program): Symmetry | null {
  const classes = threadSymmetry(program);
  if (classes) return { kind: 'classes', classes };
  const ring = ringSymmetry(program);
  return ring ? { kind: 'ring', ring } : null;
}

/**
 * Per thread, the threads counting by orbit may rename it into (itself
 * included): a run the counted execution gives one of them, some renaming
 * gives each of the others (their runs correspond one for one).
 */
export function renamedInto(program: Program): number[][] {
  const groups = exchangeable(symmetryOf(program));
  return program.runs.map((_, t) => [...(groups.find((g) => g.includes(t)) ?? [t])]);
}

/** The enumeration's share of counting by orbit: which executions of each orbit it produces. */
function enumerationFor(symmetry: Symmetry | null): { symmetry?: ThreadSymmetry; anchor?: { location: string; first: number } } {
  if (symmetry?.kind === 'classes') return { symmetry: symmetry.classes };
  if (symmetry?.kind === 'ring') return { anchor: { location: symmetry.ring.anchor, first: symmetry.ring.cycle[0]! } };
  return {};
}

/** Groups of threads a renaming may exchange: a filter's requirements must be the same on each of a group. */
function exchangeable(symmetry: Symmetry | null): readonly (readonly number[])[] {
  if (symmetry?.kind === 'classes') return symmetry.classes.classes;
  if (symmetry?.kind === 'ring') return [symmetry.ring.cycle];
  return [];
}

/**
 * For an execution the enumeration produced under a symmetry: whether it is
 * counted, the renamings it stands for, and how many renamings give each
 * distinct execution of its orbit.
 */
function orbitRenamings(x: Candidate, program: Program, symmetry: Symmetry): { counted: boolean; stabilizer: number; renamings: Iterable<Renaming> } {
  if (symmetry.kind === 'ring') {
    const whole = anchoredInRing(x, symmetry.ring);
    return { counted: true, stabilizer: 1, renamings: whole ? rotations(symmetry.ring) : [identityRenaming(program)] };
  }
  const orbit = orbitOf(x, program, symmetry.classes);
  return { ...orbit, renamings: threadRenamings(symmetry.classes) };
}

const identityRenaming = (program: Program): Renaming => ({ threadFrom: program.runs.map((_, t) => t), locationFrom: (location) => location });

/** The renamings of interchangeable threads, as renamings that leave locations alone. */
function* threadRenamings(classes: ThreadSymmetry): Generator<Renaming> {
  for (const perm of renamings(classes)) {
    const threadFrom = new Array<number>(perm.length);
    perm.forEach((to, t) => (threadFrom[to] = t));
    yield { threadFrom, locationFrom: (location) => location };
  }
}

/**
 * Thrown when counting by orbit meets a value left unsolved by an
 * out-of-thin-air cycle: its symbol names an event, and renaming threads
 * would have to rename it the way the full enumeration numbers events. Such
 * tests are rare and small; they are enumerated in full instead.
 */
class EveryExecutionNeeded extends Error {}

function checkWith(program: Program, options: CheckOptions, budget: Budget, symmetry: Symmetry | null): CheckResult {
  const { test } = program;
  const model = options.model ?? lkmm;
  const observed = observables(test);
  const labels = observed.map(observableLabel);
  const states = new Map<string, { values: Value[]; executions: number; satisfies: boolean }>();
  const flags = new Set<string>();
  const kept: Candidate[] = [];
  let allowed = 0;
  let positive = 0;
  let negative = 0;
  const required = test.filter ? requiredRegisters(test.filter, program, exchangeable(symmetry)) : [];
  const enumeration = {
    budget,
    ...enumerationFor(symmetry),
    ...(required.length > 0 ? { required } : {}),
    ...pruningFor(model),
  };
  const condition = compileProp(test.condition.prop, observed);
  /** Counts `executions` allowed executions ending in the state `lookup` reads. */
  const tally = (lookup: (o: Observable) => Value, executions: number): void => {
    const values = observed.map(lookup);
    const satisfies = condition(values, lookup);
    if (satisfies) positive += executions;
    else negative += executions;
    const key = values.map(valueKey).join('\u0000');
    const state = states.get(key);
    if (state) state.executions += executions;
    else states.set(key, { values, executions, satisfies });
  };
  const passes = (lookup: (o: Observable) => Value): boolean => !test.filter || evaluate(test.filter, lookup);
  for (const x of candidates(program, enumeration)) {
    budget.candidate();
    if (symmetry) {
      // x stands for its whole orbit: every renaming of its threads, each distinct execution reached `stabilizer` times.
      const orbit = orbitRenamings(x, program, symmetry);
      if (!orbit.counted) continue;
      // Like herd7, the filter comes first: renamings it drops count for nothing and raise no flag (the
      // renamings are looked at once the axioms hold, the flags computed only if one passes).
      const perState = new Map<string, { lookup: (o: Observable) => Value; renamings: number }>();
      const verdict = verdictOf(model, x, () => {
        for (const { threadFrom, locationFrom } of orbit.renamings) {
          budget.step();
          const lookup = (o: Observable): Value =>
            o.kind === 'location' ? x.finalValues.get(locationFrom(o.location)) ?? 0 : x.registers[threadFrom[o.thread] ?? o.thread]?.get(o.register) ?? 0;
          if (!passes(lookup)) continue;
          const key = observed.map((o) => valueKey(lookup(o))).join('\u0000');
          const seen = perState.get(key);
          if (seen) seen.renamings++;
          else perState.set(key, { lookup, renamings: 1 });
        }
        return perState.size > 0;
      }, flags);
      if (!verdict.allowed || perState.size === 0) continue;
      refuseFault(test, x);
      options.onAllowed?.(x);
      if ([...x.finalValues.values(), ...x.registers.flatMap((r) => [...r.values()])].some(isUnsolved)) throw new EveryExecutionNeeded();
      for (const f of verdict.flags) flags.add(f);
      for (const { lookup, renamings: r } of perState.values()) {
        allowed += r / orbit.stabilizer;
        tally(lookup, r / orbit.stabilizer);
      }
      continue;
    }
    const lookup = (o: Observable): Value => finalValue(x, o);
    // Like herd7, the filter comes first: an execution it drops is neither checked nor flagged.
    if (!passes(lookup)) continue;
    const verdict = verdictOf(model, x, true, flags);
    if (!verdict.allowed) continue;
    refuseFault(test, x);
    options.onAllowed?.(x);
    allowed++;
    for (const f of verdict.flags) flags.add(f);
    if (options.keepExecutions) kept.push(x);
    tally(lookup, 1);
  }
  if (allowed > 0 && lockLocationObserved(program, observed)) flags.add('lock-final');

  const quantifier = test.condition.quantifier;
  const ok = quantifier === 'exists' ? positive > 0 : quantifier === '~exists' ? positive === 0 : negative === 0;
  const observation = positive === 0 ? 'Never' : negative === 0 ? 'Always' : 'Sometimes';
  // Each (observable, value) pair is one shared tuple: a test with half a million states has few distinct pairs.
  const pairs = labels.map(() => new Map<string, readonly [string, Value]>());
  const pair = (i: number, v: Value): readonly [string, Value] => {
    const key = valueKey(v);
    let p = pairs[i]!.get(key);
    if (!p) pairs[i]!.set(key, (p = [labels[i]!, v] as const));
    return p;
  };
  const sortedStates = sortStates([...states.values()])
    .map((s) => ({ values: s.values.map((v, i) => pair(i, v)), executions: s.executions, satisfies: s.satisfies }));
  return {
    test,
    name: test.name.replace(/\.litmus$/, ''),
    model: model.name,
    quantifier,
    states: sortedStates,
    positive,
    negative,
    ok,
    observation,
    flags: orderFlags(flags),
    candidates: budget.examined,
    allowed,
    executions: options.keepExecutions ? kept : null,
  };
}

/**
 * What a filter requires of final register values, as conjuncts the
 * enumeration can enforce while it chooses (`0:r1=0 /\\ 1:r1=0`: each
 * acquisition succeeded): executions the filter drops are then mostly never
 * built. Only the filter's top-level conjunction of register-to-value atoms
 * is used; the filter itself is still applied to every execution. Counting
 * by orbit looks at one execution for all its renamings, so a requirement on
 * interchangeable threads is kept only when all of them have the same ones.
 */
export function requiredRegisters(filter: Prop, program: Program, exchangeable: readonly (readonly number[])[]): RequiredRegister[] {
  const found: RequiredRegister[] = [];
  const visit = (p: Prop, negated: boolean): void => {
    if (p.kind === 'and' && !negated) {
      visit(p.left, false);
      visit(p.right, false);
    } else if (p.kind === 'not') {
      visit(p.operand, !negated);
    } else if (p.kind === 'atom') {
      const [reg, lit] = p.left.kind === 'register' ? [p.left, p.right] : [p.right, p.left];
      if (reg.kind !== 'register' || lit.kind !== 'value' || reg.thread < 0 || reg.thread >= program.runs.length) return;
      const value = lit.value.kind === 'int' ? lit.value.value : address(lit.value.location);
      found.push({ thread: reg.thread, register: reg.register, value, equal: (p.op === '=') !== negated });
    }
  };
  visit(filter, false);
  const signature = (t: number): string => found.filter((q) => q.thread === t).map((q) => `${q.register}${q.equal ? '=' : '!='}${valueKey(q.value)}`).sort().join(' ');
  const unlike = new Set(exchangeable.filter((members) => members.some((t) => signature(t) !== signature(members[0]!))).flat());
  return found.filter((q) => !unlike.has(q.thread));
}

/**
 * herd7 refuses a test in which an execution it allows dereferences an
 * integer ("Non symbolic address"); so does the check, at the access.
 */
function refuseFault(test: LitmusTest, x: Candidate): void {
  for (const run of x.skeleton.runs) {
    if (!run.fault) continue;
    const offset = x.skeleton.offsets[run.thread]!;
    const v = evaluateTerm(run.fault.address, (i) => x.values[offset + i] ?? undefined);
    const shown = v === undefined || v === NO_RESULT ? 'an integer' : showValue(v);
    throw new LitmusError(test.file, run.fault.pos, `P${run.thread} dereferences ${shown}, which is not the address of a location, in an execution the model allows`, 'herd7 refuses such a test too');
  }
}

/**
 * How the enumeration may prune for a model: choices that break coherence or
 * atomicity when the model has those axioms, and partial choices the model
 * already forbids when it is monotone. Only forbidden candidates are skipped.
 */
export function pruningFor(model: MemoryModel): { pruneIncoherent: boolean; forbidsPartial?: (partial: Candidate) => boolean; allowsEvery?: (upper: Candidate) => boolean } {
  const coherence = coherenceAxioms(model);
  const pruneIncoherent = coherence.size === 2;
  // Monotone on every skeleton, or on some only (the others are never pruned).
  const monotoneOn = model.monotone ? null : model.monotoneOn;
  const prunable = (x: Candidate): boolean => monotoneOn === null || monotoneOn === undefined || monotoneOn(x.skeleton);
  return {
    pruneIncoherent,
    ...(model.monotone || monotoneOn ? {
      forbidsPartial: (partial: Candidate) => prunable(partial) && !checkModel(model, partial, false).allowed,
      // The enumeration prunes by coherence and atomicity exactly: every candidate it yields keeps them.
      allowsEvery: (upper: Candidate) => prunable(upper) && allowsEveryCompletion(model, upper, pruneIncoherent ? coherence : new Set()),
    } : {}),
  };
}

/** The model's verdict; for a candidate the enumeration knows to be allowed, its flags alone. */
function verdictOf(model: MemoryModel, x: Candidate, withFlags: boolean | (() => boolean), known: ReadonlySet<string>): ModelVerdict {
  return checkModel(model, x, withFlags, known, x.allowedByBound === true);
}

/**
 * The model's coherence and atomicity axioms, as `defineCoherence` states
 * them: when it has both, the enumeration may prune choices breaking them.
 */
function coherenceAxioms(model: MemoryModel): Set<Axiom> {
  if (model.coherence) return new Set(model.coherence);
  return new Set(model.axioms.filter((a) => (a.test === 'acyclic' && a.relation === 'coherence-rel') || (a.test === 'empty' && a.relation === 'atomic-rel')));
}

/** herd7 prints a test's flags in alphabetical order. */
function orderFlags(flags: ReadonlySet<string>): string[] {
  return [...flags].sort();
}

/** herd7 flags tests whose condition looks at the final value of a spinlock. */
function lockLocationObserved(program: Program, observed: readonly Observable[]): boolean {
  const lockLocations = new Set<string>();
  for (const runs of program.runs) {
    for (const run of runs) {
      for (const e of run.events) if (e.location !== null && e.kind !== 'R' && e.kind !== 'W' && e.kind !== 'F') lockLocations.add(e.location);
    }
  }
  return observed.some((o) => o.kind === 'location' && lockLocations.has(o.location));
}

/** herd7's order of values in state lines: symbols (values from thin air) first, then integers, then addresses by name. */
function compareValues(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const rank = (v: Value): number => (isUnsolved(v) ? 0 : typeof v === 'number' ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (isUnsolved(a) && isUnsolved(b)) return a.symbol - b.symbol;
  const ka = showValue(a);
  const kb = showValue(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * States in herd7's order. When every value is an integer, each state is
 * given a string key whose characters are its values' ranks, in order, and
 * the keys are sorted natively: many times faster than comparing value
 * arrays half a million times over.
 */
function sortStates<S extends { readonly values: readonly Value[] }>(list: S[]): S[] {
  const integers = list.every((s) => s.values.every((v) => typeof v === 'number'));
  if (!integers || list.length < 1024) return list.sort((a, b) => compareStates(a.values, b.values));
  const width = list[0]?.values.length ?? 0;
  const ranks: Array<Map<number, number>> = [];
  for (let i = 0; i < width; i++) {
    const distinct = [...new Set(list.map((s) => s.values[i] as number))].sort((a, b) => a - b);
    if (distinct.length > 0xffff) return list.sort((a, b) => compareStates(a.values, b.values));
    ranks.push(new Map(distinct.map((v, r) => [v, r])));
  }
  const keyed = list.map((s) => ({ s, key: String.fromCharCode(...s.values.map((v, i) => ranks[i]!.get(v as number)!)) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.s);
}

function compareStates(a: readonly Value[], b: readonly Value[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareValues(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return 0;
}


