/**
 * The files of herd7's library that model files include, in barrier-lab's
 * own words. herd7 reads its standard library before every model and finds
 * `cross.cat`, `cos.cat`, ... in its library directory; barrier-lab
 * provides what they define as host functions (`cross`, `fencerel`, see
 * host.ts) and, for the coherence orders, this short text. A file of the
 * same name next to the model, or in a directory given with `-I`, is read
 * instead.
 */

const COHERENCE = `"barrier-lab: coherence orders"
(* The coherence order is one order per location of the writes, extending co0.
   barrier-lab's enumeration chooses it with the rest of the candidate. *)
with co from coherence-orders(W, co0)
let coi = co & int
let coe = co & ext
let fr = (rf^-1 ; co) \\ id
let fri = fr & int
let fre = fr & ext
`;

export const LIBRARY: ReadonlyMap<string, string> = new Map([
  ['stdlib.cat', '"barrier-lab: standard library"\n(* fencerel, domain, range, map, ...: provided by barrier-lab itself. *)\n'],
  ['cross.cat', '"barrier-lab: cross"\n(* cross(S): provided by barrier-lab itself. *)\n'],
  ['cos.cat', COHERENCE],
  ['cos-opt.cat', COHERENCE],
]);
