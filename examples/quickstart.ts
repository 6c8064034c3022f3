// A first run: fits a small two-layer network to a synthetic classification task with autograd, printing the
// loss as it falls. Run with `node examples/quickstart.js` after `npm install`.
import * as torch from '../lib';

torch.manualSeed(0);
const x = torch.randn([512, 2]);
const y = x.index([':', 0]).mul(x.index([':', 1])).gt(0).long(); // XOR-like quadrants
const w1 = torch.randn([2, 32]).mul(0.5).requiresGrad_();
const b1 = torch.zeros([32], { requiresGrad: true });
const w2 = torch.randn([32, 2]).mul(0.5).requiresGrad_();
const b2 = torch.zeros([2], { requiresGrad: true });
const params = [w1, b1, w2, b2];

for (let step = 0; step <= 500; step++) {
  torch.tidy(() => {
    const logits = x.matmul(w1).add(b1).relu().matmul(w2).add(b2);
    const loss = logits.logSoftmax(1).gather(1, y.unsqueeze(1)).mean().neg();
    loss.backward();
    torch.noGrad(() => {
      for (const p of params) {
        const g = p.grad as torch.Tensor;
        p.sub_(g.mul(0.5));
        g.zero_();
      }
    });
    if (step % 100 === 0) {
      const acc = logits.argmax(1).eq(y).float().mean().item();
      console.log(`step ${step}: loss ${loss.item().toFixed(4)}, accuracy ${(acc * 100).toFixed(1)}%`);
    }
  });
}
