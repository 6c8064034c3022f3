// Optimizer updates, fused over a parameter group: one call per group and step runs the whole update of
// every parameter under no-grad. The arithmetic is PyTorch's per-tensor ("single tensor", foreach=None)
// update, written with the same ATen operators in the same order, so results equal Python's bit for bit.
// What is policy — hyperparameters, which parameters take part, when state is created, the integer step
// counts — is decided in TypeScript (lib/optim/); these functions only do the arithmetic they are given.
// Also here: the flat-vector helpers of LBFGS and torch.nn.utils (gradient clipping, parameter vectors).
#include "common.h"

#include <cmath>
#include <limits>
#include <sstream>

namespace tn {
namespace {

// ---- arguments ----

// An array of tensor handles; null entries (allowed only where `allowNull`) become undefined tensors.
std::vector<at::Tensor> tensorArray(const Napi::CallbackInfo& info, size_t i, const char* what, bool allowNull = false) {
  if (!info[i].IsArray()) typeError(std::string(what) + " must be an array of tensor handles");
  Napi::Array a = info[i].As<Napi::Array>();
  TensorTable& table = data(info).table;
  std::vector<at::Tensor> out;
  out.reserve(a.Length());
  for (uint32_t k = 0; k < a.Length(); k++) {
    Napi::Value v = a.Get(k);
    if (allowNull && (v.IsNull() || v.IsUndefined())) {
      out.emplace_back();
    } else {
      if (!v.IsNumber()) typeError(std::string(what) + " must be an array of tensor handles");
      out.push_back(table.get(v.As<Napi::Number>().Int32Value()));
    }
  }
  return out;
}

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

Napi::Array handleArray(const Napi::CallbackInfo& info, std::vector<at::Tensor>&& tensors) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env, tensors.size());
  TensorTable& table = data(info).table;
  for (size_t i = 0; i < tensors.size(); i++) {
    out.Set(static_cast<uint32_t>(i), tensors[i].defined() ? Napi::Number::New(env, table.put(std::move(tensors[i]))) : env.Null());
  }
  return out;
}

// ---- which parameters have a gradient ----

// gradMask(params): for each parameter, whether its .grad is defined.
Napi::Value GradMask(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = tensorArray(info, 0, "params");
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env, params.size());
  for (size_t i = 0; i < params.size(); i++) out.Set(static_cast<uint32_t>(i), Napi::Boolean::New(env, params[i].grad().defined()));
  return out;
}

// ---- the updates ----

// sgd(params, momentumBuffers (null where none yet), {lr, momentum, dampening, weightDecay, nesterov, maximize})
// -> the momentum buffers created by this step (null where none was created).
Napi::Value Sgd(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = tensorArray(info, 0, "params");
  std::vector<at::Tensor> bufs = tensorArray(info, 1, "momentum buffers", true);
  Hyper h(info, 2);
  const double lr = h.num("lr"), momentum = h.num("momentum"), dampening = h.num("dampening"), weightDecay = h.num("weightDecay");
  const bool nesterov = h.flag("nesterov"), maximize = h.flag("maximize");
  std::vector<at::Tensor> grads = gradsOf(params, "SGD", true);
  checkState(params, bufs, "momentum_buffer", true);
  std::vector<at::Tensor> created(params.size());
  at::NoGradGuard noGrad;
  for (size_t i = 0; i < params.size(); i++) {
    at::Tensor& param = params[i];
    at::Tensor dp = maximize ? at::neg(grads[i]) : grads[i];
    if (weightDecay != 0) dp = dp.add(param, weightDecay);
    if (momentum != 0) {
      at::Tensor& buf = bufs[i];
      if (!buf.defined()) {
        buf = at::clone(dp).detach();
        created[i] = buf;
      } else {
        buf.mul_(momentum).add_(dp, 1 - dampening);
      }
      if (nesterov) {
        dp = dp.add(buf, momentum);
      } else {
        dp = buf;
      }
    }
    param.add_(dp, -lr);
  }
  return handleArray(info, std::move(created));
}

// adam(params, expAvgs, expAvgSqs, maxExpAvgSqs ([] unless amsgrad), steps,
//      {lr, beta1, beta2, eps, weightDecay, amsgrad, maximize, decoupled}); decoupled is AdamW.
Napi::Value Adam(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = tensorArray(info, 0, "params");
  std::vector<at::Tensor> expAvgs = tensorArray(info, 1, "exp_avg");
  std::vector<at::Tensor> expAvgSqs = tensorArray(info, 2, "exp_avg_sq");
  std::vector<at::Tensor> maxExpAvgSqs = tensorArray(info, 3, "max_exp_avg_sq");
  std::vector<at::Tensor> steps = tensorArray(info, 4, "step");
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
  for (size_t i = 0; i < params.size(); i++) {
    at::Tensor& param = params[i];
    at::Tensor grad = maximize ? at::neg(grads[i]) : grads[i];
    at::Tensor& expAvg = expAvgs[i];
    at::Tensor& expAvgSq = expAvgSqs[i];
    steps[i].add_(1);
    if (decoupled) {
      param.mul_(1 - lr * weightDecay);
    } else if (weightDecay != 0) {
      grad = grad.add(param, weightDecay);
    }
    expAvg.mul_(beta1).add_(grad, 1 - beta1);
    expAvgSq.mul_(beta2).addcmul_(grad, grad.conj(), 1 - beta2);
    const double step = steps[i].item<double>();
    const double biasCorrection1 = 1 - std::pow(beta1, step);
    const double biasCorrection2 = 1 - std::pow(beta2, step);
    const double stepSize = lr / biasCorrection1;
    const double biasCorrection2Sqrt = std::sqrt(biasCorrection2);
    at::Tensor denom;
    if (amsgrad) {
      at::maximum_out(maxExpAvgSqs[i], maxExpAvgSqs[i], expAvgSq);
      denom = (maxExpAvgSqs[i].sqrt() / biasCorrection2Sqrt).add_(eps);
    } else {
      denom = (expAvgSq.sqrt() / biasCorrection2Sqrt).add_(eps);
    }
    param.addcdiv_(expAvg, denom, -stepSize);
  }
  return info.Env().Undefined();
}

// rmsprop(params, squareAvgs, gradAvgs ([] unless centered), momentumBuffers ([] unless momentum > 0),
//         {lr, alpha, eps, weightDecay, momentum, centered, maximize})
Napi::Value Rmsprop(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = tensorArray(info, 0, "params");
  std::vector<at::Tensor> squareAvgs = tensorArray(info, 1, "square_avg");
  std::vector<at::Tensor> gradAvgs = tensorArray(info, 2, "grad_avg");
  std::vector<at::Tensor> bufs = tensorArray(info, 3, "momentum_buffer");
  Hyper h(info, 4);
  const double lr = h.num("lr"), alpha = h.num("alpha"), eps = h.num("eps"), weightDecay = h.num("weightDecay"), momentum = h.num("momentum");
  const bool centered = h.flag("centered"), maximize = h.flag("maximize");
  std::vector<at::Tensor> grads = gradsOf(params, "RMSprop");
  checkState(params, squareAvgs, "square_avg");
  if (centered) checkState(params, gradAvgs, "grad_avg");
  if (momentum > 0) checkState(params, bufs, "momentum_buffer");
  at::NoGradGuard noGrad;
  for (size_t i = 0; i < params.size(); i++) {
    at::Tensor& param = params[i];
    at::Tensor grad = maximize ? at::neg(grads[i]) : grads[i];
    at::Tensor& squareAvg = squareAvgs[i];
    if (weightDecay != 0) grad = grad.add(param, weightDecay);
    squareAvg.mul_(alpha).addcmul_(grad, grad, 1 - alpha);
    at::Tensor avg;
    if (centered) {
      at::Tensor& gradAvg = gradAvgs[i];
      gradAvg.mul_(alpha).add_(grad, 1 - alpha);
      avg = squareAvg.addcmul(gradAvg, gradAvg, -1).sqrt_();
    } else {
      avg = squareAvg.sqrt();
    }
    avg.add_(eps);
    if (momentum > 0) {
      at::Tensor& buf = bufs[i];
      buf.mul_(momentum).addcdiv_(grad, avg);
      param.add_(buf, -lr);
    } else {
      param.addcdiv_(grad, avg, -lr);
    }
  }
  return info.Env().Undefined();
}

// adagrad(params, sums, steps, {lr, lrDecay, eps, weightDecay, maximize})
Napi::Value Adagrad(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = tensorArray(info, 0, "params");
  std::vector<at::Tensor> sums = tensorArray(info, 1, "sum");
  std::vector<at::Tensor> steps = tensorArray(info, 2, "step");
  Hyper h(info, 3);
  const double lr = h.num("lr"), lrDecay = h.num("lrDecay"), eps = h.num("eps"), weightDecay = h.num("weightDecay");
  const bool maximize = h.flag("maximize");
  std::vector<at::Tensor> grads = gradsOf(params, "Adagrad");
  checkState(params, sums, "sum");
  checkSteps(params, steps);
  at::NoGradGuard noGrad;
  for (size_t i = 0; i < params.size(); i++) {
    at::Tensor& param = params[i];
    steps[i].add_(1);
    const double step = steps[i].item<double>();
    at::Tensor grad = maximize ? at::neg(grads[i]) : grads[i];
    if (weightDecay != 0) grad = grad.add(param, weightDecay);
    const double clr = lr / (1 + (step - 1) * lrDecay);
    sums[i].addcmul_(grad, grad, 1);
    at::Tensor std = sums[i].sqrt().add_(eps);
    param.addcdiv_(grad, std, -clr);
  }
  return info.Env().Undefined();
}

// adadelta(params, squareAvgs, accDeltas, {lr, rho, eps, weightDecay, maximize})
Napi::Value Adadelta(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = tensorArray(info, 0, "params");
  std::vector<at::Tensor> squareAvgs = tensorArray(info, 1, "square_avg");
  std::vector<at::Tensor> accDeltas = tensorArray(info, 2, "acc_delta");
  Hyper h(info, 3);
  const double lr = h.num("lr"), rho = h.num("rho"), eps = h.num("eps"), weightDecay = h.num("weightDecay");
  const bool maximize = h.flag("maximize");
  std::vector<at::Tensor> grads = gradsOf(params, "Adadelta");
  checkState(params, squareAvgs, "square_avg");
  checkState(params, accDeltas, "acc_delta");
  at::NoGradGuard noGrad;
  for (size_t i = 0; i < params.size(); i++) {
    at::Tensor grad = maximize ? at::neg(grads[i]) : grads[i];
    if (weightDecay != 0) grad = grad.add(params[i], weightDecay);
    squareAvgs[i].mul_(rho).addcmul_(grad, grad, 1 - rho);
    at::Tensor std = squareAvgs[i].add(eps).sqrt_();
    at::Tensor delta = accDeltas[i].add(eps).sqrt_().div_(std).mul_(grad);
    accDeltas[i].mul_(rho).addcmul_(delta, delta, 1 - rho);
    params[i].add_(delta, -lr);
  }
  return info.Env().Undefined();
}

// adamax(params, expAvgs, expInfs, steps, {lr, beta1, beta2, eps, weightDecay, maximize})
Napi::Value Adamax(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = tensorArray(info, 0, "params");
  std::vector<at::Tensor> expAvgs = tensorArray(info, 1, "exp_avg");
  std::vector<at::Tensor> expInfs = tensorArray(info, 2, "exp_inf");
  std::vector<at::Tensor> steps = tensorArray(info, 3, "step");
  Hyper h(info, 4);
  const double lr = h.num("lr"), beta1 = h.num("beta1"), beta2 = h.num("beta2"), eps = h.num("eps"), weightDecay = h.num("weightDecay");
  const bool maximize = h.flag("maximize");
  std::vector<at::Tensor> grads = gradsOf(params, "Adamax");
  checkState(params, expAvgs, "exp_avg");
  checkState(params, expInfs, "exp_inf");
  checkSteps(params, steps);
  at::NoGradGuard noGrad;
  for (size_t i = 0; i < params.size(); i++) {
    at::Tensor grad = maximize ? at::neg(grads[i]) : grads[i];
    steps[i].add_(1);
    const double step = steps[i].item<double>();
    if (weightDecay != 0) grad = grad.add(params[i], weightDecay);
    expAvgs[i].mul_(beta1).add_(grad, 1 - beta1);
    at::Tensor normBuf = at::cat({expInfs[i].mul_(beta2).unsqueeze(0), grad.abs().add_(eps).unsqueeze_(0)}, 0);
    at::amax_out(expInfs[i], normBuf, {0}, false);
    const double clr = lr / (1 - std::pow(beta1, step));
    params[i].addcdiv_(expAvgs[i], expInfs[i], -clr);
  }
  return info.Env().Undefined();
}

// nadam(params, expAvgs, expAvgSqs, muProducts, steps, {lr, beta1, beta2, eps, weightDecay, momentumDecay})
Napi::Value Nadam(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = tensorArray(info, 0, "params");
  std::vector<at::Tensor> expAvgs = tensorArray(info, 1, "exp_avg");
  std::vector<at::Tensor> expAvgSqs = tensorArray(info, 2, "exp_avg_sq");
  std::vector<at::Tensor> muProducts = tensorArray(info, 3, "mu_product");
  std::vector<at::Tensor> steps = tensorArray(info, 4, "step");
  Hyper h(info, 5);
  const double lr = h.num("lr"), beta1 = h.num("beta1"), beta2 = h.num("beta2"), eps = h.num("eps"), weightDecay = h.num("weightDecay"),
               momentumDecay = h.num("momentumDecay");
  std::vector<at::Tensor> grads = gradsOf(params, "NAdam");
  checkState(params, expAvgs, "exp_avg");
  checkState(params, expAvgSqs, "exp_avg_sq");
  checkSteps(params, muProducts, "mu_product");
  checkSteps(params, steps);
  at::NoGradGuard noGrad;
  for (size_t i = 0; i < params.size(); i++) {
    at::Tensor grad = grads[i];
    steps[i].add_(1);
    const double step = steps[i].item<double>();
    const double biasCorrection2 = 1 - std::pow(beta2, step);
    if (weightDecay != 0) grad = grad.add(params[i], weightDecay);
    const double mu = beta1 * (1. - 0.5 * std::pow(0.96, step * momentumDecay));
    const double muNext = beta1 * (1. - 0.5 * std::pow(0.96, (step + 1) * momentumDecay));
    muProducts[i].mul_(mu);
    at::Tensor muProductNext = muProducts[i] * mu * muNext;
    expAvgs[i].mul_(beta1).add_(grad, 1 - beta1);
    expAvgSqs[i].mul_(beta2).addcmul_(grad, grad, 1 - beta2);
    at::Tensor denom = expAvgSqs[i].div(biasCorrection2).sqrt().add_(eps);
    params[i].addcdiv_(grad, denom, -lr * (1. - mu) / (1. - muProducts[i].item<double>()));
    params[i].addcdiv_(expAvgs[i], denom, -lr * muNext / (1. - muProductNext.item<double>()));
  }
  return info.Env().Undefined();
}

// radam(params, expAvgs, expAvgSqs, steps, {lr, beta1, beta2, eps, weightDecay})
Napi::Value Radam(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = tensorArray(info, 0, "params");
  std::vector<at::Tensor> expAvgs = tensorArray(info, 1, "exp_avg");
  std::vector<at::Tensor> expAvgSqs = tensorArray(info, 2, "exp_avg_sq");
  std::vector<at::Tensor> steps = tensorArray(info, 3, "step");
  Hyper h(info, 4);
  const double lr = h.num("lr"), beta1 = h.num("beta1"), beta2 = h.num("beta2"), eps = h.num("eps"), weightDecay = h.num("weightDecay");
  std::vector<at::Tensor> grads = gradsOf(params, "RAdam");
  checkState(params, expAvgs, "exp_avg");
  checkState(params, expAvgSqs, "exp_avg_sq");
  checkSteps(params, steps);
  at::NoGradGuard noGrad;
  const double rhoInf = 2 / (1 - beta2) - 1;
  for (size_t i = 0; i < params.size(); i++) {
    at::Tensor grad = grads[i];
    steps[i].add_(1);
    const double step = steps[i].item<double>();
    const double biasCorrection1 = 1 - std::pow(beta1, step);
    const double biasCorrection2 = 1 - std::pow(beta2, step);
    if (weightDecay != 0) grad = grad.add(params[i], weightDecay);
    expAvgs[i].mul_(beta1).add_(grad, 1 - beta1);
    expAvgSqs[i].mul_(beta2).addcmul_(grad, grad, 1 - beta2);
    at::Tensor biasCorrectedExpAvg = expAvgs[i] / biasCorrection1;
    const double rhoT = rhoInf - 2 * step * std::pow(beta2, step) / biasCorrection2;
    if (rhoT > 5.) {
      const double rect = std::sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      // Python's `float / tensor` is `tensor.reciprocal() * float`.
      at::Tensor adaptiveLr = expAvgSqs[i].sqrt().add_(eps).reciprocal() * std::sqrt(biasCorrection2);
      params[i].add_(biasCorrectedExpAvg * lr * adaptiveLr * rect, -1.0);
    } else {
      params[i].add_(biasCorrectedExpAvg * lr, -1.0);
    }
  }
  return info.Env().Undefined();
}

// ---- flat views for LBFGS ----

// flatGrad(params): the gradients concatenated into one vector (zeros where a parameter has none).
Napi::Value FlatGrad(const Napi::CallbackInfo& info) {
  std::vector<at::Tensor> params = tensorArray(info, 0, "params");
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
  std::vector<at::Tensor> params = tensorArray(info, 0, "params");
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
  std::vector<at::Tensor> params = tensorArray(info, 0, "parameters");
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
  std::vector<at::Tensor> params = tensorArray(info, 0, "parameters");
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
  std::vector<at::Tensor> params = tensorArray(info, 0, "parameters");
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
  std::vector<at::Tensor> params = tensorArray(info, 1, "parameters");
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
