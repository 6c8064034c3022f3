// The part of pickle that `torch.save` files use, in both directions. Reading: the allow-list of globals a
// checkpoint may name (tensor and parameter rebuilders, OrderedDict, storage classes, dtypes, torch.device,
// torch.Size, sets and bytes), turned into records that are materialized once the storages are read, then into
// JavaScript values. Writing: JavaScript values into the same pickle, tensors as persistent ids of storages.
import { Tensor } from '../tensor';
import { Device } from '../device';
import { DType, describe } from '../dtype';
import { Parameter } from '../nn/parameter';
import { PickleError, PickleWriter, PyDict, PySet, PyTuple, UnpicklePolicy } from './pickle';
import { STORAGE_CLASSES, STORAGE_DTYPES, contiguousStrides } from './storage';

/**
 * A Python object that `torch.load(path, { weightsOnly: false })` met and could not represent: the global it
 * names and the arguments and state it would have been built from. Nothing is ever called to build it.
 */
export class PickledObject {
  /** The arguments of the call that would build it (REDUCE/NEWOBJ), or null for a bare reference to the global. */
  args: unknown[] | null = null;
  /** The state BUILD would apply (`__setstate__`), or undefined. */
  state: unknown = undefined;
  /** Items appended to it (list subclasses). */
  readonly items: unknown[] = [];
  /** Key/value pairs set into it (dict subclasses). */
  readonly entries: [unknown, unknown][] = [];

  constructor(
    /** The Python module of the global, e.g. 'argparse'. */
    readonly module: string,
    /** The name of the global, e.g. 'Namespace'. */
    readonly name: string,
  ) {}

  /** `module.name`. */
  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

/** A storage class named by a checkpoint (`torch.FloatStorage`). */
class StorageType {
  constructor(
    readonly name: string,
    readonly dtype: DType,
  ) {}
}

/** A storage a checkpoint refers to by key; `offset` (elements) is where a legacy storage view starts in it. */
export class StorageRef {
  constructor(
    readonly key: string,
    readonly dtype: DType,
    readonly location: string,
    readonly numel: number,
    readonly offset = 0,
  ) {}
}

/** A tensor to build over a storage once it is read (storage null: a meta tensor without data). */
export class TensorRecord {
  constructor(
    readonly storage: StorageRef | null,
    readonly dtype: DType,
    readonly offset: number,
    readonly size: number[],
    readonly stride: number[],
    readonly requiresGrad: boolean,
  ) {}
}

/** A Parameter to build from a tensor record. */
export class ParameterRecord {
  constructor(
    readonly data: TensorRecord,
    readonly requiresGrad: boolean,
  ) {}
}

/** One of the allowed callables. */
class Allowed {
  constructor(
    readonly kind: string,
    readonly qualifiedName: string,
  ) {}
}

const DTYPE_GLOBALS: Record<string, DType> = {
  float32: 'float32', float64: 'float64', float16: 'float16', bfloat16: 'bfloat16', int8: 'int8', int16: 'int16',
  int32: 'int32', int64: 'int64', uint8: 'uint8', bool: 'bool', complex64: 'complex64', complex128: 'complex128',
  float: 'float32', double: 'float64', half: 'float16', long: 'int64', int: 'int32', short: 'int16', cfloat: 'complex64', cdouble: 'complex128',
};

const ALLOWED: Record<string, string> = {
  'collections.OrderedDict': 'OrderedDict',
  'torch._utils._rebuild_tensor_v2': 'rebuild_tensor_v2',
  'torch._utils._rebuild_tensor': 'rebuild_tensor',
  'torch._utils._rebuild_parameter': 'rebuild_parameter',
  'torch._utils._rebuild_parameter_with_state': 'rebuild_parameter_with_state',
  'torch._utils._rebuild_meta_tensor_no_storage': 'rebuild_meta',
  'torch._tensor._rebuild_from_type_v2': 'rebuild_from_type_v2',
  'torch.nn.parameter.Parameter': 'Parameter',
  'torch.Tensor': 'Tensor',
  'torch.Size': 'Size',
  'torch.device': 'device',
  'builtins.set': 'set',
  'builtins.frozenset': 'frozenset',
  'builtins.bytes': 'bytes',
  'builtins.bytearray': 'bytearray',
  '_codecs.encode': 'encode',
};

const UNSUPPORTED: Record<string, string> = {
  'torch._utils._rebuild_sparse_tensor': 'sparse tensors',
  'torch._utils._rebuild_sparse_csr_tensor': 'sparse tensors',
  'torch._utils._rebuild_qtensor': 'quantized tensors',
  'torch._utils._rebuild_device_tensor_from_numpy': 'tensors stored as numpy arrays',
  'torch._utils._rebuild_xla_tensor': 'XLA tensors',
  'torch._utils._rebuild_mps_tensor': 'MPS tensors',
  'torch._utils._rebuild_nested_tensor': 'nested tensors',
  'torch._utils._rebuild_wrapper_subclass': 'tensor subclasses',
  'torch._utils._rebuild_tensor_v3': 'tensors of dtypes without a storage class (uint16, float8, ...)',
};

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

function ints(v: unknown, what: string, allowNegative = false): number[] {
  const items = v instanceof PyTuple ? v.items : Array.isArray(v) ? v : null;
  if (items === null || !items.every((x) => isInt(x) && (allowNegative || x >= 0))) {
    throw new PickleError(`a tensor's ${what} must be a tuple of non-negative integers`);
  }
  return items as number[];
}

/** The allow-list policy of `weights_only` loading; with `weightsOnly` false, other globals become PickledObjects. */
export class TorchUnpicklePolicy implements UnpicklePolicy {
  /** Every storage met, by key, in order of first use. */
  readonly storages = new Map<string, StorageRef>();

  constructor(
    private readonly weightsOnly: boolean,
    /** Whether persistent ids carry legacy view metadata (the pre-1.6 format). */
    private readonly legacy = false,
  ) {}

  findClass(module: string, name: string): unknown {
    const mod = module === '__builtin__' ? 'builtins' : module === 'copy_reg' ? 'copyreg' : module;
    const full = `${mod}.${name}`;
    const kind = ALLOWED[full];
    if (kind !== undefined) return new Allowed(kind, full);
    if (mod === 'torch' && STORAGE_DTYPES.has(name)) return new StorageType(name, STORAGE_DTYPES.get(name) as DType);
    if (mod === 'torch' && Object.prototype.hasOwnProperty.call(DTYPE_GLOBALS, name)) return DTYPE_GLOBALS[name];
    if (UNSUPPORTED[full] !== undefined) throw new PickleError(`${UNSUPPORTED[full]} (${full}) are not supported by torch-node`);
    if (!this.weightsOnly) return new PickledObject(mod, name);
    let hint = '';
    if (mod.startsWith('torch.nn.modules') || mod.startsWith('torchvision.models')) {
      hint = ' The file holds a whole pickled model: in Python, save model.state_dict() instead (or a TorchScript export for torch.jit.load).';
    } else if (mod.startsWith('torch.optim')) {
      hint = ' The file holds a whole pickled optimizer: in Python, save optimizer.state_dict() instead.';
    }
    throw new PickleError(
      `refused to load the global '${full}': only tensors, state dicts and plain data can be loaded (weightsOnly), and ` +
        `building '${full}' would run code of the file's choosing in Python.${hint} If you trust the file, ` +
        'load it with { weightsOnly: false } to get such objects as inert PickledObject values (nothing is ever executed).',
    );
  }

  reduce(fn: unknown, args: unknown[]): unknown {
    if (fn instanceof PickledObject) {
      const obj = new PickledObject(fn.module, fn.name);
      obj.args = args;
      return obj;
    }
    if (!(fn instanceof Allowed)) throw new PickleError(`cannot call ${describeValue(fn)}`);
    switch (fn.kind) {
      case 'OrderedDict': {
        const d = new PyDict(true);
        if (args.length > 0) {
          const pairs = Array.isArray(args[0]) ? args[0] : args[0] instanceof PyTuple ? args[0].items : null;
          if (pairs === null) throw new PickleError('OrderedDict() expects a list of pairs');
          for (const p of pairs) {
            const kv = p instanceof PyTuple ? p.items : Array.isArray(p) ? p : null;
            if (kv === null || kv.length !== 2) throw new PickleError('OrderedDict() expects a list of pairs');
            d.set(kv[0], kv[1]);
          }
        }
        return d;
      }
      case 'rebuild_tensor_v2':
      case 'rebuild_tensor': {
        const [storage, offset, size, stride, requiresGrad] = args;
        if (!(storage instanceof StorageRef)) throw new PickleError(`${fn.qualifiedName} expects a storage, but got ${describeValue(storage)}`);
        if (!isInt(offset) || offset < 0) throw new PickleError(`a tensor's storage offset must be a non-negative integer`);
        const rg = fn.kind === 'rebuild_tensor' ? false : requiresGrad;
        if (typeof rg !== 'boolean') throw new PickleError(`a tensor's requires_grad must be a boolean`);
        return new TensorRecord(storage, storage.dtype, offset + storage.offset, ints(size, 'size'), ints(stride, 'stride'), rg);
      }
      case 'rebuild_meta': {
        const [dtype, size, stride, requiresGrad] = args;
        if (typeof dtype !== 'string') throw new PickleError('a meta tensor needs a dtype');
        return new TensorRecord(null, dtype as DType, 0, ints(size, 'size'), ints(stride, 'stride'), requiresGrad === true);
      }
      case 'rebuild_parameter':
      case 'rebuild_parameter_with_state':
      case 'Parameter': {
        const [data, requiresGrad] = args;
        if (!(data instanceof TensorRecord)) throw new PickleError(`${fn.qualifiedName} expects a tensor, but got ${describeValue(data)}`);
        return new ParameterRecord(data, requiresGrad === undefined ? true : requiresGrad === true);
      }
      case 'rebuild_from_type_v2': {
        const [func, type, fargs] = args;
        if (!(type instanceof Allowed) || (type.kind !== 'Tensor' && type.kind !== 'Parameter')) {
          throw new PickleError(`tensor subclasses (${describeValue(type)}) are not supported by torch-node`);
        }
        if (!(fargs instanceof PyTuple)) throw new PickleError('_rebuild_from_type_v2 expects a tuple of arguments');
        return this.reduce(func, fargs.items);
      }
      case 'Size':
        if (!(args[0] instanceof PyTuple) && !Array.isArray(args[0])) throw new PickleError('torch.Size() expects a tuple');
        return new PyTuple(args[0] instanceof PyTuple ? args[0].items : (args[0] as unknown[]));
      case 'device': {
        const [type, index] = args;
        if (typeof type !== 'string') throw new PickleError('torch.device() expects a string');
        const m = /^([a-z]+)(?::(\d+))?$/.exec(type);
        if (!m) throw new PickleError(`invalid device '${type}'`);
        const idx = isInt(index) ? index : m[2] !== undefined ? Number(m[2]) : null;
        return new Device(m[1], idx);
      }
      case 'set':
      case 'frozenset': {
        const items = args.length === 0 ? [] : Array.isArray(args[0]) ? args[0] : args[0] instanceof PyTuple ? args[0].items : null;
        if (items === null) throw new PickleError(`${fn.kind}() expects a list`);
        return new PySet([...items], fn.kind === 'frozenset');
      }
      case 'bytes':
      case 'bytearray': {
        if (args.length === 0) return new Uint8Array(0);
        if (args[0] instanceof Uint8Array) return args[0];
        if (typeof args[0] === 'string' && fn.kind === 'bytearray') return latin1Bytes(args[0]);
        if (Array.isArray(args[0]) && args[0].every((x) => isInt(x) && x >= 0 && x < 256)) return Uint8Array.from(args[0] as number[]);
        throw new PickleError(`${fn.kind}() with these arguments is not supported`);
      }
      case 'encode': {
        const [s, enc] = args;
        if (typeof s !== 'string' || (enc !== 'latin1' && enc !== 'latin-1')) throw new PickleError("_codecs.encode is only allowed for latin1 bytes");
        return latin1Bytes(s);
      }
      default:
        throw new PickleError(`cannot call ${fn.qualifiedName}`);
    }
  }

  newObj(cls: unknown, args: unknown[]): unknown {
    if (cls instanceof Allowed && cls.kind === 'Parameter') return this.reduce(cls, args);
    if (cls instanceof PickledObject) {
      const obj = new PickledObject(cls.module, cls.name);
      obj.args = args;
      return obj;
    }
    throw new PickleError(`cannot instantiate ${describeValue(cls)}`);
  }

  build(obj: unknown, state: unknown): void {
    if (obj instanceof PickledObject) {
      obj.state = state;
      return;
    }
    if (obj instanceof PyDict) {
      // An OrderedDict's __dict__ (state dicts carry `_metadata`); a (state, slotstate) pair counts as well.
      const states = state instanceof PyTuple ? state.items : [state];
      for (const s of states) {
        if (s === null) continue;
        if (!(s instanceof PyDict)) throw new PickleError('the state of a dict must be a dict');
        for (const [k, v] of s.entries) if (typeof k === 'string') obj.attrs.set(k, v);
      }
      return;
    }
    if (obj instanceof ParameterRecord || obj instanceof TensorRecord) return; // Python attributes of a tensor: nothing to keep
    throw new PickleError(`can only build dicts, tensors and parameters, but got ${describeValue(obj)}`);
  }

  persistentLoad(pid: unknown): unknown {
    const items = pid instanceof PyTuple ? pid.items : null;
    if (items === null || items.length === 0) throw new PickleError(`unsupported persistent id ${describeValue(pid)}`);
    if (items[0] === 'module') {
      throw new PickleError('the file holds a whole pickled model (legacy format); in Python, save model.state_dict() instead');
    }
    if (items[0] !== 'storage' || items.length < 5) throw new PickleError(`unsupported persistent id ${describeValue(pid)}`);
    const [, type, key, location, numel, view] = items;
    if (!(type instanceof StorageType)) throw new PickleError(`a storage must name a storage class, not ${describeValue(type)}`);
    if (typeof key !== 'string' || typeof location !== 'string' || !isInt(numel) || numel < 0) throw new PickleError('malformed storage reference');
    const prev = this.storages.get(key);
    if (prev && (prev.dtype !== type.dtype || prev.numel !== numel)) {
      throw new PickleError(`storage '${key}' is referenced as ${prev.numel} ${prev.dtype} and as ${numel} ${type.dtype} elements`);
    }
    const root = prev ?? new StorageRef(key, type.dtype, location, numel);
    if (!prev) this.storages.set(key, root);
    if (this.legacy && view instanceof PyTuple) {
      const [, offset, viewSize] = view.items;
      if (!isInt(offset) || !isInt(viewSize) || offset < 0 || offset + viewSize > numel) throw new PickleError('malformed storage view');
      return new StorageRef(key, type.dtype, location, numel, offset);
    }
    return root;
  }

  append(obj: unknown, items: unknown[]): void {
    if (obj instanceof PickledObject) {
      obj.items.push(...items);
      return;
    }
    throw new PickleError(`can only append to lists, but got ${describeValue(obj)}`);
  }

  setItems(obj: unknown, pairs: [unknown, unknown][]): void {
    if (obj instanceof PickledObject) {
      obj.entries.push(...pairs);
      return;
    }
    throw new PickleError(`can only set items of dicts, but got ${describeValue(obj)}`);
  }
}

function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) throw new PickleError('latin1 bytes hold a character above U+00FF');
    out[i] = c;
  }
  return out;
}

function describeValue(v: unknown): string {
  if (v instanceof Allowed) return v.qualifiedName;
  if (v instanceof PickledObject) return v.qualifiedName;
  if (v instanceof StorageType) return `torch.${v.name}`;
  if (v instanceof PyDict) return 'a dict';
  if (v instanceof PyTuple) return 'a tuple';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof TensorRecord) return 'a tensor';
  if (v instanceof ParameterRecord) return 'a parameter';
  if (v instanceof StorageRef) return 'a storage';
  return describe(v);
}

/** A JavaScript key stands for the Python key when it is not an array index (which objects would reorder). */
function isPlainKey(k: unknown): k is string {
  return typeof k === 'string' && !/^(0|[1-9]\d*)$/.test(k);
}

const MAX_DEPTH = 1000;

/**
 * Turns unpickled Python values into JavaScript: tuples and lists into arrays, dicts into plain objects when
 * every key is a string that an object keeps in order (else into Maps), sets into Sets, bytes into Uint8Arrays,
 * records into the tensors `tensors` holds. Shared and cyclic structure is kept.
 */
export function toJs(root: unknown, tensors: Map<TensorRecord | ParameterRecord, Tensor>): unknown {
  const done = new Map<unknown, unknown>();
  const convert = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (v instanceof TensorRecord || v instanceof ParameterRecord) return tensors.get(v);
    if (v instanceof Uint8Array || v instanceof Device) return v;
    if (done.has(v)) return done.get(v);
    if (depth > MAX_DEPTH) throw new PickleError(`data nested more than ${MAX_DEPTH} levels deep`);
    if (v instanceof StorageRef) throw new PickleError('bare storages (not inside a tensor) are not supported');
    if (v instanceof PyTuple || Array.isArray(v)) {
      const src = v instanceof PyTuple ? v.items : v;
      const out: unknown[] = [];
      done.set(v, out);
      for (const x of src) out.push(convert(x, depth + 1));
      return out;
    }
    if (v instanceof PySet) {
      const out = new Set<unknown>();
      done.set(v, out);
      for (const x of v.items) out.add(convert(x, depth + 1));
      return out;
    }
    if (v instanceof PyDict) {
      if (v.entries.every(([k]) => isPlainKey(k))) {
        const out: Record<string, unknown> = {};
        done.set(v, out);
        for (const [k, x] of v.entries) {
          Object.defineProperty(out, k as string, { value: convert(x, depth + 1), enumerable: true, writable: true, configurable: true });
        }
        const meta = v.attrs.get('_metadata');
        if (meta !== undefined && !Object.prototype.hasOwnProperty.call(out, '_metadata')) {
          Object.defineProperty(out, '_metadata', { value: convert(meta, depth + 1), enumerable: false, writable: true, configurable: true });
        }
        return out;
      }
      const out = new Map<unknown, unknown>();
      done.set(v, out);
      for (const [k, x] of v.entries) out.set(convert(k, depth + 1), convert(x, depth + 1));
      return out;
    }
    if (v instanceof PickledObject) {
      done.set(v, v);
      if (v.args) v.args = v.args.map((x) => convert(x, depth + 1));
      v.state = convert(v.state, depth + 1);
      v.items.splice(0, v.items.length, ...v.items.map((x) => convert(x, depth + 1)));
      v.entries.splice(0, v.entries.length, ...v.entries.map(([k, x]) => [convert(k, depth + 1), convert(x, depth + 1)] as [unknown, unknown]));
      return v;
    }
    if (v instanceof Allowed) return new PickledObject(v.qualifiedName.slice(0, v.qualifiedName.lastIndexOf('.')), v.qualifiedName.slice(v.qualifiedName.lastIndexOf('.') + 1));
    if (v instanceof StorageType) return new PickledObject('torch', v.name);
    throw new PickleError(`unexpected value ${describeValue(v)}`);
  };
  return convert(root, 0);
}

/** What pickling a value for `torch.save` produced: the pickle and the tensors whose bytes are its storages. */
export interface PickledForSave {
  pickle: Uint8Array;
  /** Storage i is `tensors[i]`, written as record `data/<i>`. */
  tensors: Tensor[];
}

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function pathOf(path: string): string {
  return path === '' ? 'the value' : `'${path}'`;
}

/**
 * Pickles a value the way `torch.save` does (protocol 2). Tensors become storages (each its own, contiguous);
 * Maps and plain objects become dicts, written as `collections.OrderedDict` when every value is a tensor (a
 * state dict, so that Python's `load_state_dict` gets what it expects), with `_metadata` restored when the
 * object carries one. Bad values are a TypeError naming where they are in `obj`.
 */
export function pickleForSave(obj: unknown, what: string): PickledForSave {
  const w = new PickleWriter();
  const memo = new Map<unknown, number>();
  const tensors: Tensor[] = [];
  const active = new Set<object>();

  const globalRef = (module: string, name: string): void => {
    const key = `global:${module}.${name}`;
    const i = memo.get(key);
    if (i !== undefined) w.get(i);
    else {
      w.global(module, name);
      memo.set(key, w.put());
    }
  };
  const fail = (path: string, message: string): never => {
    throw new TypeError(`${what}(): cannot save ${pathOf(path)}: ${message}`);
  };
  const number = (v: number): void => {
    if (Number.isSafeInteger(v) && !Object.is(v, -0)) w.int(v);
    else w.float(v);
  };
  const tensorV2 = (t: Tensor, requiresGrad: boolean): void => {
    const storage = tensors.length;
    tensors.push(t);
    const shape = t.shape;
    const numel = shape.reduce((a, b) => a * b, 1);
    globalRef('torch._utils', '_rebuild_tensor_v2');
    w.mark();
    w.mark();
    w.str('storage');
    globalRef('torch', STORAGE_CLASSES[t.dtype]);
    w.str(String(storage));
    w.str(t.device.toString());
    w.int(numel);
    w.tuple(null);
    w.persistentId();
    w.int(0);
    intTuple(shape);
    intTuple(contiguousStrides(shape));
    w.bool(requiresGrad);
    globalRef('collections', 'OrderedDict');
    w.tuple(0);
    w.reduce();
    w.tuple(null);
    w.reduce();
  };
  const intTuple = (xs: number[]): void => {
    if (xs.length <= 3) {
      for (const x of xs) w.int(x);
      w.tuple(xs.length);
    } else {
      w.mark();
      for (const x of xs) w.int(x);
      w.tuple(null);
    }
  };
  const key = (k: unknown, path: string): void => {
    if (typeof k === 'string') w.str(k);
    else if (typeof k === 'number') number(k);
    else if (typeof k === 'bigint') w.int(k);
    else if (typeof k === 'boolean') w.bool(k);
    else if (k === null || k === undefined) w.none();
    else if (Array.isArray(k)) {
      w.mark();
      for (const x of k) key(x, path);
      w.tuple(null);
    } else fail(path, `a Map key must be a string, number, bigint, boolean, null or an array of them, not ${describe(k)}`);
  };
  const dict = (entries: [unknown, unknown][], path: string, metadata: unknown): number => {
    const stateDict = entries.length > 0 && entries.every(([k, v]) => typeof k === 'string' && v instanceof Tensor);
    if (stateDict || metadata !== undefined) {
      globalRef('collections', 'OrderedDict');
      w.tuple(0);
      w.reduce();
    } else {
      w.emptyDict();
    }
    const index = w.put();
    for (let i = 0; i < entries.length; i += 1000) {
      w.mark();
      for (const [k, v] of entries.slice(i, i + 1000)) {
        const sub = path === '' ? String(k) : `${path}.${String(k)}`;
        key(k, sub);
        value(v, sub);
      }
      w.setItems();
    }
    if (metadata !== undefined) {
      w.emptyDict();
      w.str('_metadata');
      value(metadata, path === '' ? '_metadata' : `${path}._metadata`);
      w.setItem();
      w.build();
    }
    return index;
  };
  const value = (v: unknown, path: string): void => {
    if (v === null || v === undefined) return w.none();
    switch (typeof v) {
      case 'boolean': return w.bool(v);
      case 'number': return number(v);
      case 'bigint': return w.int(v);
      case 'string': return w.str(v);
      case 'object': break;
      default: return fail(path, `values of type ${typeof v} cannot be saved`);
    }
    const o = v as object;
    const seen = memo.get(o);
    if (seen !== undefined) return w.get(seen);
    if (active.has(o)) return fail(path, 'it contains itself (a circular reference)');
    if (o instanceof Tensor) {
      if (o.isDisposed) return fail(path, 'the tensor has been disposed');
      if (o instanceof Parameter) {
        globalRef('torch._utils', '_rebuild_parameter');
        w.mark();
        tensorV2(o, false);
        w.bool(o.requiresGrad);
        globalRef('collections', 'OrderedDict');
        w.tuple(0);
        w.reduce();
        w.tuple(null);
        w.reduce();
      } else {
        tensorV2(o, o.requiresGrad);
      }
      memo.set(o, w.put());
      return;
    }
    if (o instanceof Device) {
      globalRef('torch', 'device');
      w.str(o.type);
      if (o.index === null) w.tuple(1);
      else {
        w.int(o.index);
        w.tuple(2);
      }
      w.reduce();
      return;
    }
    if (o instanceof Uint8Array) {
      // Protocol 2 has no bytes opcode: Python writes `_codecs.encode(latin1 text, 'latin1')`, which its
      // weights_only loader accepts.
      globalRef('_codecs', 'encode');
      let s = '';
      for (let i = 0; i < o.length; i += 8192) s += String.fromCharCode(...o.subarray(i, i + 8192));
      w.str(s);
      w.str('latin1');
      w.tuple(2);
      w.reduce();
      return;
    }
    active.add(o);
    if (Array.isArray(o)) {
      w.emptyList();
      memo.set(o, w.put());
      for (let i = 0; i < o.length; i += 1000) {
        w.mark();
        o.slice(i, i + 1000).forEach((x, j) => value(x, `${path}[${i + j}]`));
        w.appends();
      }
    } else if (o instanceof Set) {
      globalRef('builtins', 'set');
      w.emptyList();
      w.mark();
      let i = 0;
      for (const x of o) value(x, `${path}{${i++}}`);
      w.appends();
      w.tuple(1);
      w.reduce();
      memo.set(o, w.put());
    } else if (o instanceof Map) {
      memo.set(o, dict(Array.from(o.entries()), path, undefined));
    } else if (isPlainObject(o)) {
      const meta = Object.prototype.propertyIsEnumerable.call(o, '_metadata') ? undefined : (o as { _metadata?: unknown })._metadata;
      memo.set(o, dict(Object.entries(o), path, meta === undefined || meta === null ? undefined : meta));
    } else {
      const name = o.constructor?.name ?? 'Object';
      const hint = typeof (o as { stateDict?: unknown }).stateDict === 'function' ? ` (save its stateDict() instead)` : '';
      fail(path, `objects of type ${name} cannot be saved${hint}; torch.save takes tensors, numbers, strings, booleans, null, arrays, Maps, Sets, Uint8Arrays and plain objects of them`);
    }
    active.delete(o);
  };
  value(obj, '');
  return { pickle: w.finish(), tensors };
}
