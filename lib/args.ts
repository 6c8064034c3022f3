// Python-style argument binding for hand-written signatures: positional values, then one options object holding
// the keyword arguments (camelCase), as API.md's translation rules say. Unknown and repeated names are errors, as
// in Python's argument parser.

/** Whether `v` is an options object (a plain object, not a tensor, array or module). */
export function isOptions(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The camelCase name of a Python name: `weight_decay` -> `weightDecay`, `float_power` -> `floatPower`. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** Python's name of a camelCase one: `weightDecay` -> `weight_decay`. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * Binds the optional arguments of `fn`: positional values take `names` in order, a trailing plain object gives
 * values by name (also `kwOnly` names). Unknown or repeated names throw a TypeError naming the argument;
 * `undefined` counts as not given.
 */
export function parseArgs<O extends object>(fn: string, args: readonly unknown[], names: readonly (keyof O & string)[], kwOnly: readonly (keyof O & string)[] = []): Partial<O> {
  const { pos, opts } = splitOptions(args);
  return bindArgs<O>(fn, pos, opts, names, kwOnly);
}

/**
 * The positional arguments before a trailing options object (trailing undefineds dropped), and those options.
 * `isOpts` says what counts as an options object (plain objects unless told otherwise).
 */
export function splitOptions(args: readonly unknown[], isOpts: (v: unknown) => boolean = isOptions): { pos: unknown[]; opts: Record<string, unknown> | undefined } {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  const opts = n > 0 && isOpts(args[n - 1]) ? (args[n - 1] as Record<string, unknown>) : undefined;
  return { pos: args.slice(0, opts ? n - 1 : n), opts };
}

/** parseArgs for arguments already split by splitOptions. */
export function bindArgs<O extends object>(fn: string, pos: readonly unknown[], opts: Record<string, unknown> | undefined, names: readonly (keyof O & string)[], kwOnly: readonly (keyof O & string)[] = []): Partial<O> {
  const n = pos.length;
  if (n > names.length) {
    throw new TypeError(`${fn}() takes at most ${names.length} optional positional arguments but ${n} were given`);
  }
  const out: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) if (pos[i] !== undefined) out[names[i]] = pos[i];
  if (opts) {
    const known: readonly string[] = [...names, ...kwOnly];
    for (const key of Object.keys(opts)) {
      if (!known.includes(key)) {
        const hint = camelCase(key) !== key && known.includes(camelCase(key)) ? ` (did you mean '${camelCase(key)}'?)` : known.length > 0 ? ` (expected one of ${known.join(', ')})` : ' (it takes none)';
        throw new TypeError(`${fn}() got an unexpected keyword argument '${key}'${hint}`);
      }
      if (opts[key] === undefined) continue;
      if (key in out) throw new TypeError(`${fn}() got multiple values for argument '${key}'`);
      out[key] = opts[key];
    }
  }
  return out as Partial<O>;
}
