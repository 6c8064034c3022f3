// Every registered builder against torchvision's: the same state-dict keys with the same shapes, in the same order,
// and the same module classes along the tree. Models up to 60 M parameters are checked by default; set
// TORCH_NODE_ALL_MODELS=1 to check all of them (the largest take minutes to build on a small CPU).
import * as assert from 'assert';
import { models } from '../lib/vision';
import { py, requirePython } from './helpers/python';

const ALL = process.env.TORCH_NODE_ALL_MODELS === '1';

function selected(): string[] {
  return models.listModels().filter((n) => ALL || models.getModelWeights(n).DEFAULT.meta.num_params <= 60e6);
}

describe('vision.models: every builder has torchvision\'s module tree', function () {
  this.timeout(ALL ? 3600000 : 900000);
  let ref: Record<string, { keys: [string, number[]][]; modules: [string, string][] }>;

  before(function () {
    requirePython(this);
    this.timeout(ALL ? 3600000 : 900000);
    // Initialisation is skipped on the Python side: only names, shapes and classes are compared here.
    const r = py(`
import torchvision, warnings, torch.nn as nn
warnings.simplefilter('ignore')
noop = lambda t, *a, **k: t
for name in ['uniform_', 'normal_', 'trunc_normal_', 'kaiming_uniform_', 'kaiming_normal_', 'xavier_uniform_', 'xavier_normal_', 'constant_', 'ones_', 'zeros_']:
    setattr(nn.init, name, noop)
nn.Linear.reset_parameters = lambda self: None
nn.modules.conv._ConvNd.reset_parameters = lambda self: None
out = {}
for name in ${JSON.stringify(selected())}:
    m = getattr(torchvision.models, name)()
    out[name] = {'keys': [[k, list(v.shape)] for k, v in m.state_dict().items()],
                 'modules': [[k, type(v).__name__] for k, v in m.named_modules()]}
    del m
emit('out', out)
`);
    ref = r.out as typeof ref;
  });

  it('lists the classification models torchvision 0.14 registers (all but maxvit_t)', function () {
    requirePython(this);
    const r = py(`
from torchvision.models._api import BUILTIN_MODELS
emit('names', sorted(n for n, f in BUILTIN_MODELS.items() if f.__module__.count('.') == 2))
`);
    assert.deepStrictEqual(models.listModels(), (r.names as string[]).filter((n) => n !== 'maxvit_t'));
  });

  for (const name of selected()) {
    it(`${name}: keys, shapes and module classes`, async function () {
      const m = await models.getModel(name);
      assert.deepStrictEqual(Object.entries(m.stateDict()).map(([k, v]) => [k, v.shape]), ref[name].keys);
      assert.deepStrictEqual([...m.namedModules()].map(([k, v]) => [k, v.constructor.name]), ref[name].modules);
      // Free the weights now rather than when the collector gets to them: the next model may be large.
      for (const p of m.parameters()) p.dispose();
      for (const b of m.buffers()) b.dispose();
    });
  }
});
