// Module init, per-instance data, the tensor table and the argument helpers.
#include "common.h"

#include <cstdlib>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace tn {

namespace {
// What a tensor costs beyond its data (TensorImpl, StorageImpl, allocator bookkeeping), so that V8 sees
// pressure from many small tensors too.
constexpr int64_t kTensorOverhead = 512;
// Report to V8 in batches: one adjustment per op would cost more than a small op itself.
constexpr int64_t kReportEvery = 1 << 20;
}  // namespace

int32_t TensorTable::put(at::Tensor&& t) {
  int64_t bytes = kTensorOverhead + (t.defined() ? static_cast<int64_t>(t.numel()) * t.element_size() : 0);
  int32_t h;
  if (!free_.empty()) {
    h = free_.back();
    free_.pop_back();
    slots_[h] = std::move(t);
    bytes_[h] = bytes;
    reserved_[h] = 1;
  } else {
    if (slots_.size() >= static_cast<size_t>(INT32_MAX)) rangeError("too many live tensors");
    h = static_cast<int32_t>(slots_.size());
    slots_.push_back(std::move(t));
    bytes_.push_back(bytes);
    reserved_.push_back(1);
  }
  live_++;
  account(bytes);
  return h;
}

thread_local int NativeCall::depth = 0;
thread_local TensorTable* NativeCall::collected = nullptr;

void TensorTable::track(napi_env env, napi_value owner, int32_t h) {
  if (h < 0 || static_cast<size_t>(h) >= slots_.size() || !reserved_[h]) typeError("expected a live tensor handle");
  if (napi_add_finalizer(env, owner, reinterpret_cast<void*>(static_cast<intptr_t>(h)), onCollected, this, nullptr) != napi_ok) {
    typeError("expected a Tensor object");
  }
  tracked_++;
}

void TensorTable::onCollected(node_api_basic_env, void* slot, void* table) {
  auto* t = static_cast<TensorTable*>(table);
  auto h = static_cast<int32_t>(reinterpret_cast<intptr_t>(slot));
  t->tracked_--;
  if (t->detached_) {
    if (t->tracked_ == 0) delete t;
  } else if (NativeCall::depth > 0) {
    t->collected_.push_back(h);
    NativeCall::collected = t;
  } else {
    t->releaseCollected(h, false);  // inside the GC: V8 hears of the freed bytes at the next report
  }
}

void TensorTable::releaseCollected(int32_t h, bool report) {
  if (slots_[h].defined()) collected_total_++;  // not disposed before
  release(h, report);
}

void TensorTable::releaseCollected() {
  for (int32_t h : collected_) releaseCollected(h, true);
  collected_.clear();
}

void TensorTable::detach() {
  slots_.clear();
  if (tracked_ == 0) {
    delete this;
    return;
  }
  detached_ = true;
}

const at::Tensor& TensorTable::get(int32_t h) const {
  if (h < 0 || static_cast<size_t>(h) >= slots_.size() || !slots_[h].defined()) {
    typeError("the tensor has been disposed");
  }
  return slots_[h];
}

void TensorTable::drop(int32_t h, bool report) {
  if (h < 0 || static_cast<size_t>(h) >= slots_.size() || !slots_[h].defined()) return;
  slots_[h].reset();
  live_--;
  account(-bytes_[h], report);
}

void TensorTable::release(int32_t h, bool report) {
  if (h < 0 || static_cast<size_t>(h) >= slots_.size() || !reserved_[h]) return;
  drop(h, report);
  reserved_[h] = 0;
  free_.push_back(h);
}

void TensorTable::account(int64_t delta, bool report) {
  pending_ += delta;
  if (report && (pending_ >= kReportEvery || pending_ <= -kReportEvery)) {
    int64_t result;
    napi_adjust_external_memory(env_, pending_, &result);
    pending_ = 0;
  }
}

Napi::Error makeTorchError(Napi::Env env, const std::string& message) {
  AddonData* d = env.GetInstanceData<AddonData>();
  if (d && !d->torchError.IsEmpty()) {
    Napi::Object err = d->torchError.New({Napi::String::New(env, message)});
    return Napi::Error(env, err);
  }
  return Napi::Error::New(env, message);
}

Napi::Value newHandle(const Napi::CallbackInfo& info, at::Tensor&& t) {
  return Napi::Number::New(info.Env(), data(info).table.put(std::move(t)));
}

int32_t argHandle(const Napi::CallbackInfo& info, size_t i) {
  napi_value v = info[i];
  int32_t h;
  if (napi_get_value_int32(info.Env(), v, &h) != napi_ok) typeError("expected a tensor handle");
  return h;
}

const at::Tensor& argTensor(const Napi::CallbackInfo& info, size_t i) {
  return data(info).table.get(argHandle(info, i));
}

double argNumber(const Napi::CallbackInfo& info, size_t i) {
  if (!info[i].IsNumber()) typeError("argument " + std::to_string(i) + " must be a number");
  return info[i].As<Napi::Number>().DoubleValue();
}

int64_t argInt(const Napi::CallbackInfo& info, size_t i) {
  double v = argNumber(info, i);
  if (v != static_cast<double>(static_cast<int64_t>(v))) typeError("argument " + std::to_string(i) + " must be an integer");
  return static_cast<int64_t>(v);
}

bool argBool(const Napi::CallbackInfo& info, size_t i) {
  if (!info[i].IsBoolean()) typeError("argument " + std::to_string(i) + " must be a boolean");
  return info[i].As<Napi::Boolean>().Value();
}

std::string argString(const Napi::CallbackInfo& info, size_t i) {
  if (!info[i].IsString()) typeError("argument " + std::to_string(i) + " must be a string");
  return info[i].As<Napi::String>().Utf8Value();
}

std::vector<int64_t> argInts(const Napi::CallbackInfo& info, size_t i) {
  if (!info[i].IsArray()) typeError("argument " + std::to_string(i) + " must be an array of integers");
  Napi::Array a = info[i].As<Napi::Array>();
  std::vector<int64_t> out(a.Length());
  for (uint32_t k = 0; k < a.Length(); k++) {
    Napi::Value v = a[k];
    if (!v.IsNumber()) typeError("argument " + std::to_string(i) + " must be an array of integers");
    double d = v.As<Napi::Number>().DoubleValue();
    if (d != static_cast<double>(static_cast<int64_t>(d))) typeError("argument " + std::to_string(i) + " must be an array of integers");
    out[k] = static_cast<int64_t>(d);
  }
  return out;
}

namespace {
const std::unordered_map<std::string, at::ScalarType>& dtypeTable() {
  static const std::unordered_map<std::string, at::ScalarType> table = {
      {"float32", at::kFloat}, {"float64", at::kDouble}, {"float16", at::kHalf}, {"bfloat16", at::kBFloat16},
      {"int8", at::kChar},     {"int16", at::kShort},    {"int32", at::kInt},    {"int64", at::kLong},
      {"uint8", at::kByte},    {"bool", at::kBool},      {"complex64", at::kComplexFloat},
      {"complex128", at::kComplexDouble},
  };
  return table;
}
}  // namespace

std::vector<at::Tensor> argTensors(const Napi::CallbackInfo& info, size_t i, const char* what, bool allowNull) {
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

Napi::Array handleArray(Napi::Env env, TensorTable& table, std::vector<at::Tensor>&& tensors) {
  Napi::Array out = Napi::Array::New(env, tensors.size());
  for (size_t i = 0; i < tensors.size(); i++) {
    out.Set(static_cast<uint32_t>(i), tensors[i].defined() ? Napi::Number::New(env, table.put(std::move(tensors[i]))) : env.Null());
  }
  return out;
}

at::ScalarType parseDtype(const std::string& name) {
  auto it = dtypeTable().find(name);
  if (it == dtypeTable().end()) typeError("unknown dtype '" + name + "'");
  return it->second;
}

const char* dtypeName(at::ScalarType t) {
  for (const auto& kv : dtypeTable()) {
    if (kv.second == t) return kv.first.c_str();
  }
  return c10::toString(t);
}

at::Device parseDevice(const std::string& spec) { return at::Device(spec); }

std::string deviceName(const at::Device& d) { return d.str(); }

at::MemoryFormat parseMemoryFormat(const std::string& name) {
  if (name == "contiguous_format") return at::MemoryFormat::Contiguous;
  if (name == "channels_last") return at::MemoryFormat::ChannelsLast;
  if (name == "channels_last_3d") return at::MemoryFormat::ChannelsLast3d;
  if (name == "preserve_format") return at::MemoryFormat::Preserve;
  typeError("unknown memory format '" + name + "'");
}

namespace {

Napi::Value Setup(const Napi::CallbackInfo& info) {
  if (!info[0].IsFunction()) typeError("setup expects the TorchError class");
  data(info).torchError = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

Napi::Value Version(const Napi::CallbackInfo& info) {
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("libtorch", TORCH_VERSION);
  o.Set("cuda", at::hasCUDA());
  return o;
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  int64_t n = argInt(info, 0);
  if (n < 1) rangeError("the number of threads must be positive");
  at::set_num_threads(static_cast<int>(n));
  return info.Env().Undefined();
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), at::get_num_threads());
}

Napi::Value ManualSeed(const Napi::CallbackInfo& info) {
  // Python takes seeds in [-2^63, 2^64): negative ones as their two's complement.
  double s = argNumber(info, 0);
  TORCH_CHECK(s >= -9223372036854775808.0 && s < 18446744073709551616.0, "Overflow when unpacking long");
  at::manual_seed(s >= 9223372036854775808.0 ? static_cast<uint64_t>(s) : static_cast<uint64_t>(static_cast<int64_t>(s)));
  return info.Env().Undefined();
}

Napi::Value GetRngState(const Napi::CallbackInfo& info) {
  at::Generator gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  return newHandle(info, gen.get_state());
}

Napi::Value SetRngState(const Napi::CallbackInfo& info) {
  at::Generator gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(argTensor(info, 0));
  return info.Env().Undefined();
}

Napi::Value GetDefaultDtype(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), dtypeName(c10::typeMetaToScalarType(c10::get_default_dtype())));
}

Napi::Value SetDefaultDtype(const Napi::CallbackInfo& info) {
  c10::set_default_dtype(c10::scalarTypeToTypeMeta(parseDtype(argString(info, 0))));
  return info.Env().Undefined();
}

Napi::Value LiveTensors(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(data(info).table.live()));
}

Napi::Value CollectedTensors(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(data(info).table.collected()));
}

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  env.SetInstanceData(new AddonData(env));
  // LibTorch picks one thread on small machines; PyTorch's users expect all cores, unless OMP_NUM_THREADS says
  // otherwise (the launcher sets it to 1 when several ranks share a machine, as torchrun does).
  static std::once_flag threadsOnce;
  std::call_once(threadsOnce, [] {
    const char* omp = std::getenv("OMP_NUM_THREADS");
    if (omp && *omp) return;
    unsigned n = std::thread::hardware_concurrency();
    if (n > 0 && at::get_num_threads() < static_cast<int>(n)) at::set_num_threads(static_cast<int>(n));
  });
  installAllocatorGuard();
  exportFn<Setup>(env, exports, "setup");
  exportFn<Version>(env, exports, "version");
  exportFn<SetNumThreads>(env, exports, "setNumThreads");
  exportFn<GetNumThreads>(env, exports, "getNumThreads");
  exportFn<ManualSeed>(env, exports, "manualSeed");
  exportFn<GetRngState>(env, exports, "getRngState");
  exportFn<SetRngState>(env, exports, "setRngState");
  exportFn<GetDefaultDtype>(env, exports, "getDefaultDtype");
  exportFn<SetDefaultDtype>(env, exports, "setDefaultDtype");
  exportFn<LiveTensors>(env, exports, "liveTensors");
  exportFn<CollectedTensors>(env, exports, "collectedTensors");
  initTensor(env, exports);
  initOps(env, exports);
  initAutograd(env, exports);
  initCuda(env, exports);
  initOptim(env, exports);
  initImage(env, exports);
  initJit(env, exports);
  initCustomFunction(env, exports);
#ifdef TORCH_NODE_WITH_DISTRIBUTED
  initDistributed(env, exports);
#endif
  return exports;
}

}  // namespace tn

static Napi::Object InitTorchNode(Napi::Env env, Napi::Object exports) { return tn::Init(env, exports); }
NODE_API_MODULE(torch_node, InitTorchNode)
