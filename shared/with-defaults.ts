/**
 * `options` over `defaults`, where `{ topK: undefined }` means "the default", as leaving it out
 * does (a plain spread would overwrite the default with undefined).
 */
export function withDefaults<D extends object, O extends object>(defaults: D, options: O): D & O {
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return { ...defaults, ...given } as D & O;
}
