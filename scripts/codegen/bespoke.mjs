// The registry of bespoke steps: the few things `x-grantex-sdk` names by `bespoke:` because the
// spec cannot say them. This is the one list of their names. The generator reads it for how each
// step changes a method's signature; the hand-written steps in src/internal/bespoke.ts are checked
// against it by the compiler (the generated operation table exports `BespokeStepName`, and the
// step map must hold exactly those keys).
//
//   kind: 'step'    an input, answer or error adapter in src/internal/bespoke.ts
//   kind: 'stream'  a live event stream the transport opens (`stream` names the transport method)
//   params/returns  the hand-written type that replaces the generated params or result type,
//                   exported by the core's handle for generated code

export const BESPOKE = Object.freeze({
  authorizeAlias: Object.freeze({ kind: 'step', params: 'AuthorizeParams' }),
  grantVerdict: Object.freeze({ kind: 'step', returns: 'VerifiedGrant' }),
  grantTokenAuth: Object.freeze({ kind: 'step' }),
  eventStream: Object.freeze({ kind: 'stream', stream: 'stream' }),
  eventSocket: Object.freeze({ kind: 'stream', stream: 'socket' }),
});

/** The names of the hand-written steps (not the streams), sorted. */
export function bespokeStepNames() {
  return Object.keys(BESPOKE)
    .filter((name) => BESPOKE[name].kind === 'step')
    .sort();
}
