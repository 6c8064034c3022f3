// What torchvision's models/_api.py and models/_utils.py give every builder: weights entries as data (`Weights`:
// url, transforms factory, meta) grouped in enums (`ResNet18_Weights.IMAGENET1K_V1`, `.DEFAULT`), a registry of
// builders (registerModel, listModels, getModel, getModelWeights, getWeight), the checks a builder makes before
// building (which weights, whether numClasses agrees with them) and the loading of the weights into the model.
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor';
import { describe } from '../../dtype';
import { TorchError } from '../../errors';
import { Module } from '../../nn/module';
import { load } from '../../serialization';
import { ImageClassification, ImageClassificationOptions } from './_presets';
import { loadStateDictFromUrl } from './_hub';

/** What torchvision records about a set of weights (its dict keys are kept as they are: they are data). */
export interface WeightsMeta {
  /** The class names, in output order (null when the weights have no classifier, e.g. VGG16's features). */
  categories: readonly string[] | null;
  /** The number of parameters of the model. */
  num_params: number;
  /** The smallest input [height, width] the model accepts. */
  min_size: readonly [number, number];
  /** Where the training recipe is described. */
  recipe: string;
  /** Published accuracy by dataset: `meta._metrics['ImageNet-1K']['acc@1']`. */
  _metrics: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** The weights' license, where torchvision names one. */
  license?: string;
  /** A sentence about the weights. */
  _docs?: string;
}

/** A weights entry as written in the model files: the URL, the preset's options and the meta data. */
export interface WeightsSpec {
  url: string;
  transforms: ImageClassificationOptions;
  meta: WeightsMeta;
}

/**
 * One set of pre-trained weights, as torchvision's `Weights` inside a `WeightsEnum`: `url` (the official
 * checkpoint), `transforms()` (the evaluation preset, built when asked) and `meta`.
 */
export class Weights {
  /** The enum it belongs to, e.g. 'ResNet18_Weights'. */
  readonly enumName: string;
  /** The entry's name, e.g. 'IMAGENET1K_V1'. */
  readonly name: string;
  /** The official checkpoint's URL; its file name ends with the first digits of its SHA-256. */
  readonly url: string;
  /** Categories, parameter count, published accuracy and more. */
  readonly meta: WeightsMeta;
  private readonly preset: ImageClassificationOptions;

  /** @internal Entries are made by `weightsEnum`. */
  constructor(enumName: string, name: string, spec: WeightsSpec) {
    this.enumName = enumName;
    this.name = name;
    this.url = spec.url;
    this.meta = Object.freeze({ ...spec.meta });
    this.preset = Object.freeze({ ...spec.transforms });
  }

  /** A new instance of the evaluation preset these weights were measured with (resize, center crop, normalize). */
  transforms(): ImageClassification {
    return new ImageClassification(this.preset);
  }

  /** The checkpoint's state dict, from the cache or downloaded into it (hash checked), as `get_state_dict`. */
  async getStateDict(opts: { progress?: boolean } = {}): Promise<Record<string, Tensor>> {
    const loaded = await loadStateDictFromUrl(this.url, { progress: opts.progress ?? true, checkHash: true, mapLocation: 'cpu' });
    return asStateDict(loaded, this.url);
  }

  /** `ResNet18_Weights.IMAGENET1K_V1`, as Python prints it. */
  toString(): string {
    return `${this.enumName}.${this.name}`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/**
 * The weights of one model, as a torchvision `WeightsEnum`: each entry is a property (`.IMAGENET1K_V1`),
 * `.DEFAULT` is the recommended one, iteration gives the entries (without the DEFAULT alias), `verify()` turns a
 * name into an entry.
 */
export class WeightsEnum implements Iterable<Weights> {
  /** The enum's name, e.g. 'ResNet18_Weights'. */
  readonly name: string;
  /** The recommended entry. */
  readonly DEFAULT: Weights;
  private readonly byName: ReadonlyMap<string, Weights>;

  /** @internal Use `weightsEnum`. */
  constructor(name: string, entries: Map<string, Weights>, defaultName: string) {
    this.name = name;
    this.byName = entries;
    const d = entries.get(defaultName);
    if (d === undefined) throw new RangeError(`${name}: the DEFAULT entry '${defaultName}' is not one of its entries`);
    this.DEFAULT = d;
  }

  /** The entries' names (without DEFAULT). */
  keys(): string[] {
    return [...this.byName.keys()];
  }

  [Symbol.iterator](): Iterator<Weights> {
    return this.byName.values();
  }

  /** The entry called `name` ('IMAGENET1K_V1', 'DEFAULT', or with the enum's name: 'ResNet18_Weights.IMAGENET1K_V1'). */
  fromStr(name: string): Weights {
    const key = name.startsWith(`${this.name}.`) ? name.slice(this.name.length + 1) : name;
    if (key === 'DEFAULT') return this.DEFAULT;
    const w = this.byName.get(key);
    if (w === undefined) throw new RangeError(`Unknown weights '${name}' for ${this.name}; the entries are ${[...this.byName.keys(), 'DEFAULT'].map((k) => `'${k}'`).join(', ')}`);
    return w;
  }

  /** An entry of this enum, a name of one (see fromStr), or null; anything else throws, as torchvision's verify. */
  verify(obj: Weights | string | null | undefined): Weights | null {
    if (obj === null || obj === undefined) return null;
    if (typeof obj === 'string') return this.fromStr(obj);
    if (obj instanceof Weights && obj.enumName === this.name && this.byName.get(obj.name) === obj) return obj;
    const got = obj instanceof Weights ? obj.enumName : describe(obj);
    throw new TypeError(`Invalid Weight class provided; expected ${this.name} but received ${got}.`);
  }

  toString(): string {
    return `<enum '${this.name}'>`;
  }
}

/** A WeightsEnum whose entries are also typed properties: `ResNet18_Weights.IMAGENET1K_V1`. */
export type WeightsEnumOf<K extends string> = WeightsEnum & { readonly [P in K]: Weights };

/** The entry names of a weights enum: `WeightsName<typeof ResNet50_Weights>` is 'IMAGENET1K_V1' | 'IMAGENET1K_V2'. */
export type WeightsName<E> = E extends WeightsEnumOf<infer K> ? K : never;

/** Defines the weights of a model: `weightsEnum('ResNet18_Weights', { IMAGENET1K_V1: {...} }, 'IMAGENET1K_V1')`. */
export function weightsEnum<K extends string>(name: string, specs: Record<K, WeightsSpec>, defaultName: NoInfer<K>): WeightsEnumOf<K> {
  const entries = new Map<string, Weights>();
  for (const key of Object.keys(specs) as K[]) entries.set(key, new Weights(name, key, specs[key]));
  const e = new WeightsEnum(name, entries, defaultName);
  for (const [key, w] of entries) Object.defineProperty(e, key, { value: w, enumerable: true });
  return Object.freeze(e) as WeightsEnumOf<K>;
}

// ---------------------------------------------------------------------------------------------- builder options

/**
 * What `weights` accepts: an entry of the model's enum, its name ('IMAGENET1K_V1', 'DEFAULT',
 * 'ResNet18_Weights.IMAGENET1K_V1'), the path of a state dict saved by `torch.save` (here or in Python), an http(s)
 * URL of one (cached like the official ones), or null for random initialisation.
 */
export type WeightsArg<K extends string = string> = K | 'DEFAULT' | Weights | URL | (string & {}) | null;

/** The options every builder takes. */
export interface WeightsOptions<K extends string = string> {
  /** Load the DEFAULT weights (torchvision's legacy `pretrained=True`); do not combine with `weights`. */
  pretrained?: boolean;
  /** Which weights to load (see WeightsArg); default none. */
  weights?: WeightsArg<K>;
  /** Show a progress bar while downloading weights (default true). */
  progress?: boolean;
}

/** The options of the classification builders. */
export interface ModelOptions<K extends string = string> extends WeightsOptions<K> {
  /** The number of classes of the classifier (default 1000; must agree with named weights). */
  numClasses?: number;
}

/** @internal The weights a builder was asked for. */
export type ResolvedWeights =
  | { kind: 'enum'; weights: Weights }
  | { kind: 'file'; path: string }
  | { kind: 'url'; url: string };

const BASE_OPTIONS = ['pretrained', 'weights', 'progress', 'numClasses'];

/** @internal Checks a builder's options object: an object with only the known keys (a snake_case key gets a hint). */
export function checkOptions<O extends object>(builder: string, opts: O | undefined, extra: readonly string[] = []): O {
  if (opts === undefined || opts === null) return {} as O;
  if (typeof opts !== 'object' || Array.isArray(opts)) throw new TypeError(`${builder}(): options must be an object, but received ${describe(opts)}`);
  const known = new Set([...BASE_OPTIONS, ...extra]);
  for (const k of Object.keys(opts)) {
    if (known.has(k)) continue;
    const camel = k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const hint = known.has(camel) ? ` (did you mean '${camel}'?)` : '';
    throw new TypeError(`${builder}(): unknown option '${k}'${hint}; the options are ${[...known].join(', ')}`);
  }
  return opts;
}

function looksLikeEntryName(s: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_]*(\.[A-Z][A-Z0-9_]*)?$/.test(s) && !/\.(pth?|pt|bin|ckpt|tar)$/i.test(s);
}

/** @internal Which weights the options ask for, checked before anything is built. */
export function resolveWeights(builder: string, weightsEnum: WeightsEnum | null, opts: WeightsOptions): ResolvedWeights | null {
  const { pretrained, weights } = opts;
  if (pretrained !== undefined && typeof pretrained !== 'boolean') throw new TypeError(`${builder}(): pretrained must be a boolean, but received ${describe(pretrained)}`);
  if (pretrained !== undefined && weights !== undefined && (pretrained || weights !== null)) {
    throw new TypeError(`${builder}(): pass either 'pretrained' or 'weights', not both (pretrained: true is weights: 'DEFAULT')`);
  }
  if (pretrained) {
    if (weightsEnum === null) throw new RangeError(`No weights available for model ${builder}`);
    return { kind: 'enum', weights: weightsEnum.DEFAULT };
  }
  if (weights === undefined || weights === null) return null;
  if (weights instanceof Weights) {
    if (weightsEnum === null) throw new TypeError(`${builder}(): the model has no weights enum, but received ${weights}`);
    return { kind: 'enum', weights: weightsEnum.verify(weights) as Weights };
  }
  if (weights instanceof URL) return { kind: 'url', url: weights.href };
  if (typeof weights !== 'string') throw new TypeError(`${builder}(): weights must be a weights entry, a name, a path, a URL or null, but received ${describe(weights)}`);
  if (/^https?:\/\//i.test(weights)) return { kind: 'url', url: weights };
  if (weights.startsWith('file://')) return { kind: 'file', path: new URL(weights).pathname };
  const isFile = fs.existsSync(weights) && fs.statSync(weights).isFile();
  if (!isFile && looksLikeEntryName(weights)) {
    if (weightsEnum === null) throw new RangeError(`No weights available for model ${builder} (received '${weights}')`);
    return { kind: 'enum', weights: weightsEnum.fromStr(weights) };
  }
  if (!isFile) throw new RangeError(`${builder}(): the weights file '${weights}' does not exist (${path.resolve(weights)})`);
  return { kind: 'file', path: weights };
}

/**
 * @internal torchvision's `_ovewrite_named_param`: the value the weights require, or an error naming both values
 * when the caller asked for another.
 */
export function overwriteNamedParam<V>(param: string, given: V | undefined, required: V, because?: string): V {
  if (given !== undefined && given !== required) {
    const why = because ? ` (${because})` : '';
    throw new RangeError(`The parameter '${param}' expected value ${String(required)} but got ${String(given)} instead${why}.`);
  }
  return required;
}

/** @internal The number of classes to build: the weights' categories when named weights are loaded. */
export function resolveNumClasses(given: number | undefined, w: ResolvedWeights | null): number {
  if (given !== undefined && (!Number.isInteger(given) || given <= 0)) throw new RangeError(`numClasses must be a positive integer, but received ${String(given)}`);
  if (w?.kind === 'enum' && w.weights.meta.categories !== null) {
    const n = w.weights.meta.categories.length;
    return overwriteNamedParam(
      'numClasses', given, n,
      `the weights ${w.weights} have ${n} categories: load them with the default numClasses and then replace the classifier, or pass weights: null`,
    );
  }
  return given ?? 1000;
}

/** @internal A loaded checkpoint as a state dict, or a TorchError saying what the file holds instead. */
export function asStateDict(loaded: unknown, source: string): Record<string, Tensor> {
  if (loaded instanceof Map) {
    const o: Record<string, Tensor> = {};
    for (const [k, v] of loaded) {
      if (typeof k !== 'string') break;
      o[k] = v as Tensor;
    }
    loaded = o;
  }
  if (loaded === null || typeof loaded !== 'object' || Array.isArray(loaded) || loaded instanceof Tensor) {
    throw new TorchError(`${source} does not hold a state dict (a dict of tensors by name) but ${describe(loaded)}`);
  }
  const entries = Object.entries(loaded as Record<string, unknown>);
  const bad = entries.find(([, v]) => !(v instanceof Tensor));
  if (bad !== undefined) {
    const nested = entries.find(([, v]) => v !== null && typeof v === 'object' && !(v instanceof Tensor) && Object.values(v as object).some((x) => x instanceof Tensor));
    const hint = nested ? ` (it looks like a training checkpoint: the state dict may be under '${nested[0]}')` : '';
    throw new TorchError(`${source} does not hold a state dict: the entry '${bad[0]}' is ${describe(bad[1])}, not a tensor${hint}`);
  }
  return loaded as Record<string, Tensor>;
}

/** @internal Loads the resolved weights into `model` (strict), adjusting the keys first if the family needs it. */
export async function loadWeights(
  model: Module, w: ResolvedWeights, progress: boolean, adjust?: (sd: Record<string, Tensor>) => Record<string, Tensor>,
): Promise<void> {
  let sd: Record<string, Tensor>;
  if (w.kind === 'enum') sd = await w.weights.getStateDict({ progress });
  else if (w.kind === 'url') sd = asStateDict(await loadStateDictFromUrl(w.url, { progress, mapLocation: 'cpu' }), w.url);
  else sd = asStateDict(await load(w.path, { mapLocation: 'cpu' }), w.path);
  if (adjust) sd = adjust(sd);
  try {
    model.loadStateDict(sd);
  } finally {
    // The values were copied into the model: free the loaded tensors now rather than at the next collection.
    for (const t of Object.values(sd)) t.dispose();
  }
}

/** @internal A builder's options without the weights ones: what goes to the model's constructor. */
export function modelKwargs<O extends ModelOptions>(opts: O | undefined): Omit<O, 'pretrained' | 'weights' | 'progress' | 'numClasses'> {
  const rest: Record<string, unknown> = { ...(opts ?? {}) };
  for (const k of BASE_OPTIONS) delete rest[k];
  return rest as Omit<O, 'pretrained' | 'weights' | 'progress' | 'numClasses'>;
}

/** @internal The common body of a classification builder: check options and weights, build, load. */
export async function buildModel<M extends Module>(
  builder: string,
  weightsEnum: WeightsEnum | null,
  opts: ModelOptions | undefined,
  construct: (numClasses: number, weights: ResolvedWeights | null) => M,
  extra: { options?: readonly string[]; adjust?: (sd: Record<string, Tensor>) => Record<string, Tensor>; after?: (model: M, weights: ResolvedWeights) => void } = {},
): Promise<M> {
  const o = checkOptions(builder, opts, extra.options);
  if (o.progress !== undefined && typeof o.progress !== 'boolean') throw new TypeError(`${builder}(): progress must be a boolean, but received ${describe(o.progress)}`);
  const w = resolveWeights(builder, weightsEnum, o);
  const numClasses = resolveNumClasses(o.numClasses, w);
  const model = construct(numClasses, w);
  if (w !== null) {
    await loadWeights(model, w, o.progress ?? true, extra.adjust);
    extra.after?.(model, w);
  }
  return model;
}

// ---------------------------------------------------------------------------------------------- registry

/** A model builder: `await builder({ weights, numClasses, ... })`. */
export type ModelBuilder<M extends Module = Module, O extends ModelOptions = ModelOptions> = (opts?: O) => Promise<M>;

interface Registered {
  builder: ModelBuilder<Module, never>;
  weights: WeightsEnum | null;
}

const BUILTIN_MODELS = new Map<string, Registered>();

/**
 * Registers a builder under `name` with its weights enum (a name can be registered once). Returns the builder,
 * made to report every error as a rejected Promise.
 */
export function registerModel<M extends Module, O extends ModelOptions>(name: string, builder: ModelBuilder<M, O>, weights: WeightsEnum | null): ModelBuilder<M, O> {
  if (BUILTIN_MODELS.has(name)) throw new RangeError(`An entry is already registered under the name '${name}'.`);
  const wrapped = (opts?: O): Promise<M> => {
    try {
      return builder(opts);
    } catch (err) {
      return Promise.reject(err);
    }
  };
  Object.defineProperty(wrapped, 'name', { value: name });
  BUILTIN_MODELS.set(name, { builder: wrapped as unknown as ModelBuilder<Module, never>, weights });
  return wrapped;
}

/** The names of the registered models, sorted. */
export function listModels(): string[] {
  return [...BUILTIN_MODELS.keys()].sort();
}

function lookup(name: string): Registered {
  if (typeof name !== 'string') throw new TypeError(`model name must be a string, but received ${describe(name)}`);
  const r = BUILTIN_MODELS.get(name.toLowerCase());
  if (r === undefined) throw new RangeError(`Unknown model ${name}`);
  return r;
}

/** The builder registered under `name`. */
export function getModelBuilder(name: string): ModelBuilder {
  return lookup(name).builder as unknown as ModelBuilder;
}

/** Builds the model registered under `name`: `await getModel('resnet18', { weights: 'DEFAULT' })`. */
export function getModel(name: string, opts?: ModelOptions & Record<string, unknown>): Promise<Module> {
  return getModelBuilder(name)(opts);
}

/** The weights enum of the model registered under `name` (or of a builder). */
export function getModelWeights(name: string | ModelBuilder<Module, never>): WeightsEnum {
  let r: Registered | undefined;
  if (typeof name === 'function') r = [...BUILTIN_MODELS.values()].find((x) => x.builder === name);
  else r = lookup(name);
  if (r === undefined || r.weights === null) throw new RangeError(`The model ${typeof name === 'string' ? name : name.name} has no weights enum`);
  return r.weights;
}

/** A weights entry by its full name: `getWeight('ResNet50_Weights.IMAGENET1K_V2')`. */
export function getWeight(name: string): Weights {
  const parts = typeof name === 'string' ? name.split('.') : [];
  if (parts.length !== 2) throw new RangeError(`Invalid weight name provided: '${name}'.`);
  for (const r of BUILTIN_MODELS.values()) if (r.weights?.name === parts[0]) return r.weights.fromStr(parts[1]);
  throw new RangeError(`The weight enum '${parts[0]}' for the specific method couldn't be retrieved.`);
}
