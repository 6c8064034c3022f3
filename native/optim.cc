// Optimizer updates, fused over a parameter group: one call per group and step runs the whole update of
// every parameter under no-grad. The arithmetic is PyTorch's per-tensor ("single tensor", foreach=None)
// update, written with the same ATen operators in the same order, so results equal Python's bit for bit.
// What is policy — hyperparameters, which parameters take part, when state is created, the integer step
// counts — is decided in TypeScript (lib/optim/); these functions only do the arithmetic they are given.
// Also here: the flat-vector helpers of LBFGS and torch.nn.utils (gradient clipping, parameter vectors).
#include "common.h"

#include <ATen/TensorIterator.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <memory>
#include <limits>
#include <sstream>

namespace tn {
namespace {

// ---- arguments ----


// The hyperparameters of one update, read from a plain object.
class Hyper {
 public:
  Hyper(const Napi::CallbackInfo& info, size_t i) {
    if (!info[i].IsObject()) typeError("optimizer hyperparameters must be an object");
    o_ = info[i].As<Napi::Object>();
  }
  double num(const char* key) const {
    Napi::Value v = o_.Get(key);
    if (!v.IsNumber()) typeError(std::string("optimizer hyperparameter '") + key + "' must be a number");
    return v.As<Napi::Number>().DoubleValue();
  }
  bool flag(const char* key) const {
    Napi::Value v = o_.Get(key);
    if (!v.IsBoolean()) typeError(std::string("optimizer hyperparameter '") + key + "' must be a boolean");
    return v.As<Napi::Boolean>().Value();
  }

 private:
  Napi::Object o_;
};

// The gradients of `params`, which the caller has filtered to those that have one.
std::vector<at::Tensor> gradsOf(const std::vector<at::Tensor>& params, const char* optimizer, bool allowSparse = false) {
  std::vector<at::Tensor> grads;
  grads.reserve(params.size());
  for (size_t i = 0; i < params.size(); i++) {
    const at::Tensor& g = params[i].grad();
    if (!g.defined()) rangeError(std::string(optimizer) + ": parameter " + std::to_string(i) + " has no gradient");
    if (!allowSparse && g.is_sparse()) TORCH_CHECK(false, optimizer, " does not support sparse gradients");
    grads.push_back(g);
  }
  return grads;
}

// Every state list must hold one tensor per parameter, shaped like it (a loaded state dict may not).
void checkState(const std::vector<at::Tensor>& params, const std::vector<at::Tensor>& state, const char* name, bool allowUndefined = false) {
  if (state.size() != params.size()) {
    rangeError(std::string("optimizer state '") + name + "' has " + std::to_string(state.size()) + " tensors for " +
               std::to_string(params.size()) + " parameters");
  }
  for (size_t i = 0; i < params.size(); i++) {
    if (!state[i].defined()) {
      if (allowUndefined) continue;
      rangeError(std::string("optimizer state '") + name + "' is missing for parameter " + std::to_string(i));
    }
    TORCH_CHECK(state[i].sizes() == params[i].sizes(), "optimizer state '", name, "' of parameter ", i, " has shape ",
                state[i].sizes(), " but the parameter has shape ", params[i].sizes());
  }
}

// The step counters that PyTorch keeps as 0-dim float tensors.
void checkSteps(const std::vector<at::Tensor>& params, const std::vector<at::Tensor>& steps, const char* name = "step") {
  if (steps.size() != params.size()) rangeError(std::string("optimizer state '") + name + "' has the wrong length");
  for (size_t i = 0; i < steps.size(); i++) {
    TORCH_CHECK(steps[i].numel() == 1, "optimizer state '", name, "' of parameter ", i, " must hold one number");
  }
}


// ---- which parameters have a gradient ----

// gradMask(params): for each parameter, whether its .grad is defined.
Napi::Value GradMask(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = argTensors(info, 0, "params");
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env, params.size());
  for (size_t i = 0; i < params.size(); i++) out.Set(static_cast<uint32_t>(i), Napi::Boolean::New(env, params[i].grad().defined()));
  return out;
}

// ---- running an update over a group ----

// Elementwise updates are memory-bound: run one after another over whole tensors, each operator streams
// every tensor through memory again. So large contiguous CPU tensors are cut into pieces small enough to stay
// in cache while the whole sequence of operators runs on them, and the pieces of all parameters are spread
// over the intra-op threads. Each element still goes through the same operators in the same order, so the
// values are those of PyTorch's per-tensor loop. (Measured on resnet18's parameters: pieces of 8K-16K
// elements lose to the operators' fixed cost, 128K-256K are best for both SGD and AdamW.)
constexpr int64_t kPiece = 131072;

// Elements [start, start + length) of a parameter's flattened tensors, or the whole tensors (length < 0).
class Piece {
 public:
  Piece(size_t index, int64_t start, int64_t length) : index(index), start_(start), length_(length) {}
  at::Tensor operator()(const at::Tensor& t) const {
    if (length_ < 0) return t;
    return t.as_strided({length_}, {1}, t.storage_offset() + start_);
  }
  const size_t index;

 private:
  int64_t start_;
  int64_t length_;
};

// Runs work(k) for k in [0, count) over ATen's intra-op threads, each thread claiming the next k until none
// is left. at::parallel_for itself cannot do this here: it is a header template that runs inline in code
// built without OpenMP, as this addon is. So the loop goes to TensorIterator::for_each, whose parallel_for
// was built into LibTorch with its threading; inside it ATen's operators see a parallel region and run
// serially (sqrt, for one, would otherwise start a region of its own from 2048 elements up). The pieces run
// below the autograd layer, which under no-grad only forwards each call (views and version counters are kept
// by the layer beneath it).
template <typename Work>
void runParallel(int64_t count, const Work& work) {
  if (count <= 1 || at::get_num_threads() <= 1 || at::in_parallel_region()) {
    at::AutoDispatchBelowAutograd belowAutograd;
    for (int64_t k = 0; k < count; k++) work(k);
    return;
  }
  at::Tensor slots = at::empty({count}, at::TensorOptions().dtype(at::kByte));
  at::TensorIterator iter = at::TensorIterator::nullary_op(slots);
  std::atomic<int64_t> next{0};
  auto loop = [&](char**, const int64_t*, int64_t, int64_t) {
    at::NoGradGuard noGrad;  // grad mode is per thread
    at::AutoDispatchBelowAutograd belowAutograd;
    for (int64_t k = next++; k < count; k = next++) work(k);
  };
  iter.for_each(at::TensorIteratorBase::loop2d_t(loop), 1);
}

// Runs body(piece) over every parameter. `tensors(i)` lists the tensors of parameter i that the update reads
// or writes; only when all of them are contiguous CPU tensors of one size is the parameter cut into pieces.
template <typename Tensors, typename Body>
void forEachPiece(const std::vector<at::Tensor>& params, Tensors tensors, Body body) {
  std::vector<Piece> pieces;
  for (size_t i = 0; i < params.size(); i++) {
    const at::Tensor& p = params[i];
    const int64_t n = p.numel();
    bool cut = p.is_cpu() && n > kPiece;
    if (cut) {
      for (const at::Tensor& t : tensors(i)) {
        if (!t.defined() || t.layout() != at::kStrided || !t.is_cpu() || !t.is_contiguous() || t.numel() != n ||
            t.scalar_type() != p.scalar_type()) {
          cut = false;
          break;
        }
      }
    }
    if (cut) {
      for (int64_t s = 0; s < n; s += kPiece) pieces.emplace_back(i, s, std::min(kPiece, n - s));
    } else if (p.is_cpu() && n <= kPiece) {
      pieces.emplace_back(i, 0, -1);
    } else {
      // Device tensors and large tensors that cannot be cut: whole, here, with the operators' own parallelism.
      body(Piece(i, 0, -1));
    }
  }
  runParallel(static_cast<int64_t>(pieces.size()), [&](int64_t k) { body(pieces[k]); });
}

// The k-th temporary of an update, shaped like `like`. Python allocates one per operator; here pieces use
// buffers each thread keeps, since allocating and freeing them can cost more than the arithmetic (freed memory
// handed back to the system faults in again on every reuse). Other tensors get ordinary allocations.
constexpr int kTemps = 3;
at::Tensor temp(int k, const at::Tensor& like) {
  if (!like.is_cpu() || like.layout() != at::kStrided || like.numel() > kPiece || like.element_size() > 8) {
    return at::empty(like.sizes(), like.options());
  }
  struct Buffer {
    std::unique_ptr<char[]> data;
    size_t bytes = 0;
  };
  thread_local std::array<Buffer, kTemps> buffers;
  const size_t bytes = static_cast<size_t>(kPiece) * like.element_size();
  Buffer& b = buffers[k];
  if (b.bytes < bytes) {
    b.data.reset(new char[bytes]);
    b.bytes = bytes;
  }
  return at::from_blob(b.data.get(), like.sizes(), like.options());
}

// The gradient as an update uses it: negated to maximize, plus the L2 penalty (Python's
// `grad = -grad; grad = grad.add(param, alpha=weight_decay)`); in temporary `k` only when it differs.
at::Tensor effectiveGrad(const at::Tensor& grad, const at::Tensor& param, bool maximize, double weightDecay, int k) {
  if (!maximize && weightDecay == 0) return grad;
  at::Tensor t = temp(k, grad);
  if (maximize) {
    at::neg_out(t, grad);
    if (weightDecay != 0) t.add_(param, weightDecay);
  } else {
    at::add_out(t, grad, param, weightDecay);
  }
  return t;
}

// ---- the updates ----

// sgd(params, momentumBuffers (null where none yet), {lr, momentum, dampening, weightDecay, nesterov, maximize})
// -> the momentum buffers created by this step (null where none was created).
Napi::Value Sgd(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = argTensors(info, 0, "params");
  std::vector<at::Tensor> bufs = argTensors(info, 1, "momentum buffers", true);
  Hyper h(info, 2);
  const double lr = h.num("lr"), momentum = h.num("momentum"), dampening = h.num("dampening"), weightDecay = h.num("weightDecay");
  const bool nesterov = h.flag("nesterov"), maximize = h.flag("maximize");
  std::vector<at::Tensor> grads = gradsOf(params, "SGD", true);
  checkState(params, bufs, "momentum_buffer", true);
  at::NoGradGuard noGrad;
  // A new buffer is a copy of the first (decayed) gradient: allocated here, filled piece by piece.
  std::vector<bool> fresh(params.size(), false);
  std::vector<at::Tensor> created(params.size());
  if (momentum != 0) {
    for (size_t i = 0; i < params.size(); i++) {
      if (bufs[i].defined() || grads[i].is_sparse()) continue;
      bufs[i] = at::empty_like(grads[i]);
      created[i] = bufs[i];
      fresh[i] = true;
    }
  }
  forEachPiece(
      params, [&](size_t i) { return std::vector<at::Tensor>{params[i], grads[i], momentum != 0 ? bufs[i] : params[i]}; },
      [&](const Piece& piece) {
        const size_t i = piece.index;
        at::Tensor param = piece(params[i]);
        if (grads[i].is_sparse()) {  // PyTorch's operators as they are: temporaries cannot hold sparse values
          at::Tensor dp = maximize ? at::neg(grads[i]) : grads[i];
          if (weightDecay != 0) dp = dp.add(param, weightDecay);
          if (momentum != 0) {
            if (!bufs[i].defined()) {
              bufs[i] = at::clone(dp).detach();
              created[i] = bufs[i];
            } else {
              bufs[i].mul_(momentum).add_(dp, 1 - dampening);
            }
            dp = nesterov ? dp.add(bufs[i], momentum) : bufs[i];
          }
          param.add_(dp, -lr);
          return;
        }
        at::Tensor grad = piece(grads[i]);
        at::Tensor dp = effectiveGrad(grad, param, maximize, weightDecay, 0);
        if (momentum != 0) {
          at::Tensor buf = piece(bufs[i]);
          if (fresh[i]) {
            buf.copy_(dp);
          } else {
            buf.mul_(momentum).add_(dp, 1 - dampening);
          }
          if (nesterov) {
            if (dp.is_same(grad)) {
              dp = temp(0, grad);
              at::add_out(dp, grad, buf, momentum);
            } else {
              dp.add_(buf, momentum);
            }
          } else {
            dp = buf;
          }
        }
        param.add_(dp, -lr);
      });
  return handleArray(info.Env(), data(info).table, std::move(created));
}

// adam(params, expAvgs, expAvgSqs, maxExpAvgSqs ([] unless amsgrad), steps,
//      {lr, beta1, beta2, eps, weightDecay, amsgrad, maximize, decoupled}); decoupled is AdamW.
Napi::Value Adam(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = argTensors(info, 0, "params");
  std::vector<at::Tensor> expAvgs = argTensors(info, 1, "exp_avg");
  std::vector<at::Tensor> expAvgSqs = argTensors(info, 2, "exp_avg_sq");
  std::vector<at::Tensor> maxExpAvgSqs = argTensors(info, 3, "max_exp_avg_sq");
  std::vector<at::Tensor> steps = argTensors(info, 4, "step");
  Hyper h(info, 5);
  const double lr = h.num("lr"), beta1 = h.num("beta1"), beta2 = h.num("beta2"), eps = h.num("eps"), weightDecay = h.num("weightDecay");
  const bool amsgrad = h.flag("amsgrad"), maximize = h.flag("maximize"), decoupled = h.flag("decoupled");
  const char* name = decoupled ? "AdamW" : "Adam";
  std::vector<at::Tensor> grads = gradsOf(params, name);
  checkState(params, expAvgs, "exp_avg");
  checkState(params, expAvgSqs, "exp_avg_sq");
  if (amsgrad) checkState(params, maxExpAvgSqs, "max_exp_avg_sq");
  checkSteps(params, steps);
  at::NoGradGuard noGrad;
  std::vector<double> stepSizes(params.size()), biasCorrection2Sqrts(params.size());
  for (size_t i = 0; i < params.size(); i++) {
    steps[i].add_(1);
    const double step = steps[i].item<double>();
    const double biasCorrection1 = 1 - std::pow(beta1, step);
    const double biasCorrection2 = 1 - std::pow(beta2, step);
    stepSizes[i] = lr / biasCorrection1;
    biasCorrection2Sqrts[i] = std::sqrt(biasCorrection2);
  }
  forEachPiece(
      params,
      [&](size_t i) {
        return std::vector<at::Tensor>{params[i], grads[i], expAvgs[i], expAvgSqs[i], amsgrad ? maxExpAvgSqs[i] : params[i]};
      },
      [&](const Piece& piece) {
        const size_t i = piece.index;
        at::Tensor param = piece(params[i]);
        at::Tensor grad = effectiveGrad(piece(grads[i]), param, maximize, decoupled ? 0 : weightDecay, 0);
        at::Tensor expAvg = piece(expAvgs[i]);
        at::Tensor expAvgSq = piece(expAvgSqs[i]);
        if (decoupled) param.mul_(1 - lr * weightDecay);
        expAvg.mul_(beta1).add_(grad, 1 - beta1);
        expAvgSq.mul_(beta2).addcmul_(grad, grad.conj(), 1 - beta2);
        at::Tensor denom = temp(1, param);
        if (amsgrad) {
          at::Tensor maxExpAvgSq = piece(maxExpAvgSqs[i]);
          at::maximum_out(maxExpAvgSq, maxExpAvgSq, expAvgSq);
          at::sqrt_out(denom, maxExpAvgSq);
        } else {
          at::sqrt_out(denom, expAvgSq);
        }
        denom.div_(biasCorrection2Sqrts[i]).add_(eps);
        param.addcdiv_(expAvg, denom, -stepSizes[i]);
      });
  return info.Env().Undefined();
}

// rmsprop(params, squareAvgs, gradAvgs ([] unless centered), momentumBuffers ([] unless momentum > 0),
//         {lr, alpha, eps, weightDecay, momentum, centered, maximize})
Napi::Value Rmsprop(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = argTensors(info, 0, "params");
  std::vector<at::Tensor> squareAvgs = argTensors(info, 1, "square_avg");
  std::vector<at::Tensor> gradAvgs = argTensors(info, 2, "grad_avg");
  std::vector<at::Tensor> bufs = argTensors(info, 3, "momentum_buffer");
  Hyper h(info, 4);
  const double lr = h.num("lr"), alpha = h.num("alpha"), eps = h.num("eps"), weightDecay = h.num("weightDecay"), momentum = h.num("momentum");
  const bool centered = h.flag("centered"), maximize = h.flag("maximize");
  std::vector<at::Tensor> grads = gradsOf(params, "RMSprop");
  checkState(params, squareAvgs, "square_avg");
  if (centered) checkState(params, gradAvgs, "grad_avg");
  if (momentum > 0) checkState(params, bufs, "momentum_buffer");
  at::NoGradGuard noGrad;
  forEachPiece(
      params,
      [&](size_t i) {
        return std::vector<at::Tensor>{params[i], grads[i], squareAvgs[i], centered ? gradAvgs[i] : params[i], momentum > 0 ? bufs[i] : params[i]};
      },
      [&](const Piece& piece) {
        const size_t i = piece.index;
        at::Tensor param = piece(params[i]);
        at::Tensor grad = effectiveGrad(piece(grads[i]), param, maximize, weightDecay, 0);
        at::Tensor squareAvg = piece(squareAvgs[i]);
        squareAvg.mul_(alpha).addcmul_(grad, grad, 1 - alpha);
        at::Tensor avg = temp(1, param);
        if (centered) {
          at::Tensor gradAvg = piece(gradAvgs[i]);
          gradAvg.mul_(alpha).add_(grad, 1 - alpha);
          at::addcmul_out(avg, squareAvg, gradAvg, gradAvg, -1);
          avg.sqrt_();
        } else {
          at::sqrt_out(avg, squareAvg);
        }
        avg.add_(eps);
        if (momentum > 0) {
          at::Tensor buf = piece(bufs[i]);
          buf.mul_(momentum).addcdiv_(grad, avg);
          param.add_(buf, -lr);
        } else {
          param.addcdiv_(grad, avg, -lr);
        }
      });
  return info.Env().Undefined();
}

// adagrad(params, sums, steps, {lr, lrDecay, eps, weightDecay, maximize})
Napi::Value Adagrad(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = argTensors(info, 0, "params");
  std::vector<at::Tensor> sums = argTensors(info, 1, "sum");
  std::vector<at::Tensor> steps = argTensors(info, 2, "step");
  Hyper h(info, 3);
  const double lr = h.num("lr"), lrDecay = h.num("lrDecay"), eps = h.num("eps"), weightDecay = h.num("weightDecay");
  const bool maximize = h.flag("maximize");
  std::vector<at::Tensor> grads = gradsOf(params, "Adagrad");
  checkState(params, sums, "sum");
  checkSteps(params, steps);
  at::NoGradGuard noGrad;
  std::vector<double> clrs(params.size());
  for (size_t i = 0; i < params.size(); i++) {
    steps[i].add_(1);
    const double step = steps[i].item<double>();
    clrs[i] = lr / (1 + (step - 1) * lrDecay);
  }
  forEachPiece(
      params, [&](size_t i) { return std::vector<at::Tensor>{params[i], grads[i], sums[i]}; },
      [&](const Piece& piece) {
        const size_t i = piece.index;
        at::Tensor param = piece(params[i]);
        at::Tensor grad = effectiveGrad(piece(grads[i]), param, maximize, weightDecay, 0);
        at::Tensor sum = piece(sums[i]);
        sum.addcmul_(grad, grad, 1);
        at::Tensor std = temp(1, param);
        at::sqrt_out(std, sum);
        std.add_(eps);
        param.addcdiv_(grad, std, -clrs[i]);
      });
  return info.Env().Undefined();
}

// adadelta(params, squareAvgs, accDeltas, {lr, rho, eps, weightDecay, maximize})
Napi::Value Adadelta(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = argTensors(info, 0, "params");
  std::vector<at::Tensor> squareAvgs = argTensors(info, 1, "square_avg");
  std::vector<at::Tensor> accDeltas = argTensors(info, 2, "acc_delta");
  Hyper h(info, 3);
  const double lr = h.num("lr"), rho = h.num("rho"), eps = h.num("eps"), weightDecay = h.num("weightDecay");
  const bool maximize = h.flag("maximize");
  std::vector<at::Tensor> grads = gradsOf(params, "Adadelta");
  checkState(params, squareAvgs, "square_avg");
  checkState(params, accDeltas, "acc_delta");
  at::NoGradGuard noGrad;
  forEachPiece(
      params, [&](size_t i) { return std::vector<at::Tensor>{params[i], grads[i], squareAvgs[i], accDeltas[i]}; },
      [&](const Piece& piece) {
        const size_t i = piece.index;
        at::Tensor param = piece(params[i]);
        at::Tensor grad = effectiveGrad(piece(grads[i]), param, maximize, weightDecay, 0);
        at::Tensor squareAvg = piece(squareAvgs[i]);
        at::Tensor accDelta = piece(accDeltas[i]);
        squareAvg.mul_(rho).addcmul_(grad, grad, 1 - rho);
        at::Tensor std = temp(1, param);  // square_avg.add(eps).sqrt_()
        std.copy_(squareAvg);
        std.add_(eps).sqrt_();
        at::Tensor delta = temp(2, param);  // acc_delta.add(eps).sqrt_().div_(std).mul_(grad)
        delta.copy_(accDelta);
        delta.add_(eps).sqrt_().div_(std).mul_(grad);
        accDelta.mul_(rho).addcmul_(delta, delta, 1 - rho);
        param.add_(delta, -lr);
      });
  return info.Env().Undefined();
}

// adamax(params, expAvgs, expInfs, steps, {lr, beta1, beta2, eps, weightDecay, maximize})
Napi::Value Adamax(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = argTensors(info, 0, "params");
  std::vector<at::Tensor> expAvgs = argTensors(info, 1, "exp_avg");
  std::vector<at::Tensor> expInfs = argTensors(info, 2, "exp_inf");
  std::vector<at::Tensor> steps = argTensors(info, 3, "step");
  Hyper h(info, 4);
  const double lr = h.num("lr"), beta1 = h.num("beta1"), beta2 = h.num("beta2"), eps = h.num("eps"), weightDecay = h.num("weightDecay");
  const bool maximize = h.flag("maximize");
  std::vector<at::Tensor> grads = gradsOf(params, "Adamax");
  checkState(params, expAvgs, "exp_avg");
  checkState(params, expInfs, "exp_inf");
  checkSteps(params, steps);
  at::NoGradGuard noGrad;
  std::vector<double> clrs(params.size());
  for (size_t i = 0; i < params.size(); i++) {
    steps[i].add_(1);
    const double step = steps[i].item<double>();
    clrs[i] = lr / (1 - std::pow(beta1, step));
  }
  forEachPiece(
      params, [&](size_t i) { return std::vector<at::Tensor>{params[i], grads[i], expAvgs[i], expInfs[i]}; },
      [&](const Piece& piece) {
        const size_t i = piece.index;
        at::Tensor param = piece(params[i]);
        at::Tensor grad = effectiveGrad(piece(grads[i]), param, maximize, weightDecay, 0);
        at::Tensor expAvg = piece(expAvgs[i]);
        at::Tensor expInf = piece(expInfs[i]);
        expAvg.mul_(beta1).add_(grad, 1 - beta1);
        // Python takes amax over cat([exp_inf * beta2, |grad| + eps]): the elementwise maximum of the two.
        at::Tensor bound = temp(1, param);
        at::abs_out(bound, grad);
        bound.add_(eps);
        expInf.mul_(beta2);
        at::maximum_out(expInf, expInf, bound);
        param.addcdiv_(expAvg, expInf, -clrs[i]);
      });
  return info.Env().Undefined();
}

// nadam(params, expAvgs, expAvgSqs, muProducts, steps, {lr, beta1, beta2, eps, weightDecay, momentumDecay})
Napi::Value Nadam(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = argTensors(info, 0, "params");
  std::vector<at::Tensor> expAvgs = argTensors(info, 1, "exp_avg");
  std::vector<at::Tensor> expAvgSqs = argTensors(info, 2, "exp_avg_sq");
  std::vector<at::Tensor> muProducts = argTensors(info, 3, "mu_product");
  std::vector<at::Tensor> steps = argTensors(info, 4, "step");
  Hyper h(info, 5);
  const double lr = h.num("lr"), beta1 = h.num("beta1"), beta2 = h.num("beta2"), eps = h.num("eps"), weightDecay = h.num("weightDecay"),
               momentumDecay = h.num("momentumDecay");
  std::vector<at::Tensor> grads = gradsOf(params, "NAdam");
  checkState(params, expAvgs, "exp_avg");
  checkState(params, expAvgSqs, "exp_avg_sq");
  checkSteps(params, muProducts, "mu_product");
  checkSteps(params, steps);
  at::NoGradGuard noGrad;
  std::vector<double> biasCorrection2s(params.size()), gradValues(params.size()), avgValues(params.size());
  for (size_t i = 0; i < params.size(); i++) {
    steps[i].add_(1);
    const double step = steps[i].item<double>();
    biasCorrection2s[i] = 1 - std::pow(beta2, step);
    const double mu = beta1 * (1. - 0.5 * std::pow(0.96, step * momentumDecay));
    const double muNext = beta1 * (1. - 0.5 * std::pow(0.96, (step + 1) * momentumDecay));
    muProducts[i].mul_(mu);
    at::Tensor muProductNext = muProducts[i] * mu * muNext;
    gradValues[i] = -lr * (1. - mu) / (1. - muProducts[i].item<double>());
    avgValues[i] = -lr * muNext / (1. - muProductNext.item<double>());
  }
  forEachPiece(
      params, [&](size_t i) { return std::vector<at::Tensor>{params[i], grads[i], expAvgs[i], expAvgSqs[i]}; },
      [&](const Piece& piece) {
        const size_t i = piece.index;
        at::Tensor param = piece(params[i]);
        at::Tensor grad = effectiveGrad(piece(grads[i]), param, false, weightDecay, 0);
        at::Tensor expAvg = piece(expAvgs[i]);
        at::Tensor expAvgSq = piece(expAvgSqs[i]);
        expAvg.mul_(beta1).add_(grad, 1 - beta1);
        expAvgSq.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
        at::Tensor denom = temp(1, param);  // exp_avg_sq.div(bias_correction2).sqrt().add_(eps)
        denom.copy_(expAvgSq);
        denom.div_(biasCorrection2s[i]).sqrt_().add_(eps);
        param.addcdiv_(grad, denom, gradValues[i]);
        param.addcdiv_(expAvg, denom, avgValues[i]);
      });
  return info.Env().Undefined();
}

// radam(params, expAvgs, expAvgSqs, steps, {lr, beta1, beta2, eps, weightDecay})
Napi::Value Radam(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = argTensors(info, 0, "params");
  std::vector<at::Tensor> expAvgs = argTensors(info, 1, "exp_avg");
  std::vector<at::Tensor> expAvgSqs = argTensors(info, 2, "exp_avg_sq");
  std::vector<at::Tensor> steps = argTensors(info, 3, "step");
  Hyper h(info, 4);
  const double lr = h.num("lr"), beta1 = h.num("beta1"), beta2 = h.num("beta2"), eps = h.num("eps"), weightDecay = h.num("weightDecay");
  std::vector<at::Tensor> grads = gradsOf(params, "RAdam");
  checkState(params, expAvgs, "exp_avg");
  checkState(params, expAvgSqs, "exp_avg_sq");
  checkSteps(params, steps);
  at::NoGradGuard noGrad;
  const double rhoInf = 2 / (1 - beta2) - 1;
  // Per parameter: the bias corrections, and the rectification (-1 when rho_t <= 5: no adaptive term).
  std::vector<double> biasCorrection1s(params.size()), biasCorrection2Sqrts(params.size()), rects(params.size());
  for (size_t i = 0; i < params.size(); i++) {
    steps[i].add_(1);
    const double step = steps[i].item<double>();
    biasCorrection1s[i] = 1 - std::pow(beta1, step);
    const double biasCorrection2 = 1 - std::pow(beta2, step);
    biasCorrection2Sqrts[i] = std::sqrt(biasCorrection2);
    const double rhoT = rhoInf - 2 * step * std::pow(beta2, step) / biasCorrection2;
    rects[i] = rhoT > 5. ? std::sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : -1;
  }
  forEachPiece(
      params, [&](size_t i) { return std::vector<at::Tensor>{params[i], grads[i], expAvgs[i], expAvgSqs[i]}; },
      [&](const Piece& piece) {
        const size_t i = piece.index;
        at::Tensor param = piece(params[i]);
        at::Tensor grad = effectiveGrad(piece(grads[i]), param, false, weightDecay, 0);
        at::Tensor expAvg = piece(expAvgs[i]);
        at::Tensor expAvgSq = piece(expAvgSqs[i]);
        expAvg.mul_(beta1).add_(grad, 1 - beta1);
        expAvgSq.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
        at::Tensor update = temp(1, param);  // bias_corrected_exp_avg = exp_avg / bias_correction1
        update.copy_(expAvg);
        update.div_(biasCorrection1s[i]).mul_(lr);
        if (rects[i] >= 0) {
          // adaptive_lr = sqrt(bias_correction2) / exp_avg_sq.sqrt().add_(eps), where Python's `float / tensor`
          // is `tensor.reciprocal() * float`; the update is bias_corrected_exp_avg * lr * adaptive_lr * rect.
          at::Tensor adaptiveLr = temp(2, param);
          at::sqrt_out(adaptiveLr, expAvgSq);
          adaptiveLr.add_(eps).reciprocal_().mul_(biasCorrection2Sqrts[i]);
          update.mul_(adaptiveLr).mul_(rects[i]);
        }
        param.add_(update, -1.0);
      });
  return info.Env().Undefined();
}

// ---- flat views for LBFGS ----

// flatGrad(params): the gradients concatenated into one vector (zeros where a parameter has none).
Napi::Value FlatGrad(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = argTensors(info, 0, "params");
  std::vector<at::Tensor> views;
  views.reserve(params.size());
  at::NoGradGuard noGrad;
  for (const at::Tensor& p : params) {
    const at::Tensor& g = p.grad();
    if (!g.defined()) {
      views.push_back(at::zeros({p.numel()}, p.options()));
    } else if (g.is_sparse()) {
      views.push_back(g.to_dense().view(-1));
    } else {
      views.push_back(g.view(-1));
    }
  }
  return newHandle(info, at::cat(views, 0));
}

// addFlat(params, update, alpha): params += alpha * update, with update a flat vector over all of them.
Napi::Value AddFlat(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = argTensors(info, 0, "params");
  const at::Tensor& update = argTensor(info, 1);
  double alpha = argNumber(info, 2);
  int64_t total = 0;
  for (const at::Tensor& p : params) total += p.numel();
  TORCH_CHECK(update.dim() == 1 && update.numel() == total, "the update must be a vector of ", total, " elements");
  at::NoGradGuard noGrad;
  int64_t offset = 0;
  for (at::Tensor& p : params) {
    int64_t n = p.numel();
    p.add_(update.slice(0, offset, offset + n).view_as(p), alpha);
    offset += n;
  }
  return info.Env().Undefined();
}

// ---- torch.nn.utils ----

// Python's repr of a float, for messages ("2.0", "inf").
std::string pyFloat(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (std::isnan(v)) return "nan";
  std::ostringstream s;
  s.precision(17);
  s << v;
  std::string out = s.str();
  if (out.find_first_of(".e") == std::string::npos) out += ".0";
  return out;
}

// clipGradNorm(params, maxNorm, normType, errorIfNonfinite) -> the total norm (before clipping).
Napi::Value ClipGradNorm(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = argTensors(info, 0, "parameters");
  const double maxNorm = argNumber(info, 1);
  const double normType = argNumber(info, 2);
  const bool errorIfNonfinite = argBool(info, 3);
  std::vector<at::Tensor> grads;
  for (const at::Tensor& p : params) {
    if (p.grad().defined()) grads.push_back(p.grad());
  }
  if (grads.empty()) return newHandle(info, at::scalar_tensor(0., at::kFloat));
  at::NoGradGuard noGrad;
  const at::Device device = grads[0].device();
  std::vector<at::Tensor> norms;
  norms.reserve(grads.size());
  at::Tensor total;
  if (std::isinf(normType) && normType > 0) {
    for (const at::Tensor& g : grads) norms.push_back(g.detach().abs().max().to(device));
    total = norms.size() == 1 ? norms[0] : at::max(at::stack(norms));
  } else {
    // torch.norm(x, p) with a numeric p is the norm over all dimensions listed explicitly.
    auto normAll = [normType](const at::Tensor& x) {
      std::vector<int64_t> dims(x.dim());
      for (int64_t d = 0; d < x.dim(); d++) dims[d] = d;
      return at::norm(x, c10::optional<at::Scalar>(normType), dims, false);
    };
    for (const at::Tensor& g : grads) norms.push_back(normAll(g.detach()).to(device));
    total = normAll(at::stack(norms));
  }
  if (errorIfNonfinite && at::logical_or(total.isnan(), total.isinf()).item<bool>()) {
    throw std::runtime_error("The total norm of order " + pyFloat(normType) +
                             " for gradients from `parameters` is non-finite, so it cannot be clipped. To disable this "
                             "error and scale the gradients by the non-finite norm anyway, set `errorIfNonfinite: false`");
  }
  // Python's `max_norm / (total_norm + 1e-6)` is `(total_norm + 1e-6).reciprocal() * max_norm`.
  at::Tensor clipCoef = (total + 1e-6).reciprocal() * maxNorm;
  at::Tensor clamped = at::clamp(clipCoef, c10::optional<at::Scalar>(), c10::optional<at::Scalar>(1.0));
  for (const at::Tensor& g : grads) g.detach().mul_(clamped.to(g.device()));
  return newHandle(info, std::move(total));
}

// clipGradValue(params, clipValue): clamps every gradient into [-clipValue, clipValue] in place.
Napi::Value ClipGradValue(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = argTensors(info, 0, "parameters");
  const double clip = argNumber(info, 1);
  at::NoGradGuard noGrad;
  for (const at::Tensor& p : params) {
    if (p.grad().defined()) p.grad().detach().clamp_(-clip, clip);
  }
  return info.Env().Undefined();
}

// All parameters on one device, as torch.nn.utils' _check_param_device demands.
void checkSameDevice(const std::vector<at::Tensor>& params) {
  for (size_t i = 1; i < params.size(); i++) {
    if (params[i].device() != params[0].device()) typeError("Found two parameters on different devices, this is currently not supported.");
  }
}

// parametersToVector(params) -> one vector (recorded by autograd, like torch.cat of views).
Napi::Value ParametersToVector(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = argTensors(info, 0, "parameters");
  checkSameDevice(params);
  TORCH_CHECK(!params.empty(), "parametersToVector() expects at least one parameter");
  std::vector<at::Tensor> views;
  views.reserve(params.size());
  for (const at::Tensor& p : params) views.push_back(p.view(-1));
  return newHandle(info, at::cat(views));
}

// vectorToParameters(vec, params): each parameter's data becomes its slice of `vec` (sharing memory).
Napi::Value VectorToParameters(const Napi::CallbackInfo& info) {
  const at::Tensor& vec = argTensor(info, 0);
  std::vector<at::Tensor> params = argTensors(info, 1, "parameters");
  checkSameDevice(params);
  int64_t pointer = 0;
  for (at::Tensor& p : params) {
    int64_t n = p.numel();
    p.set_data(vec.slice(0, pointer, pointer + n).view_as(p).variable_data());
    pointer += n;
  }
  return info.Env().Undefined();
}

}  // namespace

void initOptim(Napi::Env env, Napi::Object exports) {
  exportFn<GradMask>(env, exports, "optimGradMask");
  exportFn<Sgd>(env, exports, "optimSgd");
  exportFn<Adam>(env, exports, "optimAdam");
  exportFn<Rmsprop>(env, exports, "optimRmsprop");
  exportFn<Adagrad>(env, exports, "optimAdagrad");
  exportFn<Adadelta>(env, exports, "optimAdadelta");
  exportFn<Adamax>(env, exports, "optimAdamax");
  exportFn<Nadam>(env, exports, "optimNadam");
  exportFn<Radam>(env, exports, "optimRadam");
  exportFn<FlatGrad>(env, exports, "optimFlatGrad");
  exportFn<AddFlat>(env, exports, "optimAddFlat");
  exportFn<ClipGradNorm>(env, exports, "clipGradNorm");
  exportFn<ClipGradValue>(env, exports, "clipGradValue");
  exportFn<ParametersToVector>(env, exports, "parametersToVector");
  exportFn<VectorToParameters>(env, exports, "vectorToParameters");
}

}  // namespace tn
