// torch.jit: TorchScript modules loaded, trained, called and saved from JavaScript.
export { ScriptModule } from './script_module';
export { load, save } from './serialization';
export type { JitLoadOptions } from './serialization';
