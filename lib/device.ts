import { describe } from './dtype';
import { N } from './native';
import { TorchError } from './errors';

/** A device, as `torch.device('cuda:0')` gives in PyTorch. */
export class Device {
  /** 'cpu', 'cuda', ... */
  readonly type: string;
  /** The device index, or null when unspecified. */
  readonly index: number | null;

  constructor(type: string, index: number | null = null) {
    this.type = type;
    this.index = index;
  }

  /** PyTorch's spelling: 'cpu', 'cuda', 'cuda:1'. */
  toString(): string {
    return this.index === null ? this.type : `${this.type}:${this.index}`;
  }

  /** Equal devices have the same type and index. */
  equals(other: DeviceLike): boolean {
    return toDeviceString(other) === this.toString();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `device(type='${this.type}'${this.index === null ? '' : `, index=${this.index}`})`;
  }
}

/** Anything the API accepts as a device: 'cpu', 'cuda', 'cuda:1', or a Device. */
export type DeviceLike = string | Device;

const DEVICE_RE = /^(cpu|cuda|mps|meta|xpu|hip)(?::(\d+))?$/;

/** `torch.device('cuda:1')` or `torch.device('cuda', 1)`. */
export function device(spec: DeviceLike, index?: number): Device {
  if (spec instanceof Device) return spec;
  if (typeof spec !== 'string') throw new TypeError(`device must be a string such as 'cpu' or 'cuda:0', but received ${describe(spec)}`);
  const m = DEVICE_RE.exec(spec);
  if (!m) throw new TypeError(`Expected one of cpu, cuda, mps, meta, xpu, hip device type at start of device string: ${spec}`);
  if (index !== undefined && !Number.isInteger(index)) throw new TypeError(`device(): argument 'index' must be an integer, but received ${describe(index)}`);
  if (index !== undefined && index < 0) throw new TorchError('Device index must not be negative');
  if (index !== undefined && m[2] !== undefined) throw new TypeError(`device string '${spec}' already has an index`);
  const idx = index ?? (m[2] === undefined ? null : Number(m[2]));
  return new Device(m[1], idx);
}

/** The string form the addon takes; validates the spelling and that the device type is available. */
export function toDeviceString(d: DeviceLike): string {
  const dev = device(d);
  if (dev.type === 'cuda' && !N.version().cuda) {
    throw new TorchError(
      `Torch not compiled with CUDA enabled: torch-node runs on a CPU-only LibTorch ${N.version().libtorch} ` +
        '(no CUDA build of LibTorch is present). Install a CUDA LibTorch and rebuild (npx torch-node doctor shows what was found).',
    );
  }
  return dev.toString();
}
