// The Tensor's native side: creation from JavaScript memory, metadata, copies out, release.
#include "common.h"
#include "promise_worker.h"

#include <cstring>

namespace tn {
namespace {

at::TensorOptions cpuOptions(at::ScalarType dtype) { return at::TensorOptions().dtype(dtype).device(at::kCPU); }

// fromBuffer(typedArrayOrArrayBuffer, dtype, shape): copies the bytes into a new CPU tensor.
Napi::Value FromBuffer(const Napi::CallbackInfo& info) {
  const uint8_t* src = nullptr;
  size_t length = 0;
  if (info[0].IsTypedArray()) {
    Napi::TypedArray ta = info[0].As<Napi::TypedArray>();
    src = static_cast<const uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
    length = ta.ByteLength();
  } else if (info[0].IsArrayBuffer()) {
    Napi::ArrayBuffer ab = info[0].As<Napi::ArrayBuffer>();
    src = static_cast<const uint8_t*>(ab.Data());
    length = ab.ByteLength();
  } else {
    typeError("fromBuffer expects a TypedArray or an ArrayBuffer");
  }
  at::ScalarType dtype = parseDtype(argString(info, 1));
  std::vector<int64_t> shape = argInts(info, 2);
  int64_t numel = 1;
  for (int64_t s : shape) {
    if (s < 0) rangeError("negative dimension " + std::to_string(s));
    numel *= s;
  }
  size_t need = static_cast<size_t>(numel) * c10::elementSize(dtype);
  if (need != length) {
    rangeError("buffer of " + std::to_string(length) + " bytes does not hold a tensor of shape " +
               c10::str(at::IntArrayRef(shape)) + " and dtype " + dtypeName(dtype) + " (" + std::to_string(need) +
               " bytes)");
  }
  at::Tensor t = at::empty(shape, cpuOptions(dtype));
  if (need) std::memcpy(t.data_ptr(), src, need);
  return newHandle(info, std::move(t));
}

// scalarTensor(value, dtype, wrapped): a 0-dim CPU tensor; `wrapped` marks it as a number passed where a
// tensor goes, which type promotion then treats as a Python scalar.
Napi::Value ScalarTensor(const Napi::CallbackInfo& info) {
  at::ScalarType dtype = parseDtype(argString(info, 1));
  at::Tensor t;
  if (info[0].IsBoolean()) {
    t = at::scalar_tensor(at::Scalar(info[0].As<Napi::Boolean>().Value()), cpuOptions(dtype));
  } else {
    t = at::scalar_tensor(at::Scalar(argNumber(info, 0)), cpuOptions(dtype));
  }
  if (info.Length() > 2 && info[2].IsBoolean() && info[2].As<Napi::Boolean>().Value()) {
    t.unsafeGetTensorImpl()->set_wrapped_number(true);
  }
  return newHandle(info, std::move(t));
}

// dispose: frees a handle that no JavaScript Tensor owns (library intermediates).
Napi::Value Dispose(const Napi::CallbackInfo& info) {
  data(info).table.release(argHandle(info, 0));
  return info.Env().Undefined();
}

// track(tensorObject, handle): the GC releases the handle when it collects the Tensor object.
Napi::Value Track(const Napi::CallbackInfo& info) {
  data(info).table.track(info.Env(), info[0], argHandle(info, 1));
  return Napi::Value();
}

// drop: frees the tensor of a tracked handle whose Tensor object is still alive; the slot stays reserved until
// the object is collected, so that its finalizer can never free a reused slot.
Napi::Value Drop(const Napi::CallbackInfo& info) {
  data(info).table.drop(argHandle(info, 0));
  return info.Env().Undefined();
}

Napi::Value Shape(const Napi::CallbackInfo& info) {
  const at::Tensor& t = argTensor(info, 0);
  Napi::Env env = info.Env();
  auto sizes = t.sizes();
  Napi::Array a = Napi::Array::New(env, sizes.size());
  for (size_t i = 0; i < sizes.size(); i++) a.Set(static_cast<uint32_t>(i), Napi::Number::New(env, static_cast<double>(sizes[i])));
  return a;
}

Napi::Value Stride(const Napi::CallbackInfo& info) {
  const at::Tensor& t = argTensor(info, 0);
  Napi::Env env = info.Env();
  auto strides = t.strides();
  Napi::Array a = Napi::Array::New(env, strides.size());
  for (size_t i = 0; i < strides.size(); i++) a.Set(static_cast<uint32_t>(i), Napi::Number::New(env, static_cast<double>(strides[i])));
  return a;
}

Napi::Value StorageOffset(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(argTensor(info, 0).storage_offset()));
}

Napi::Value Dtype(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), dtypeName(argTensor(info, 0).scalar_type()));
}

Napi::Value DeviceOf(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), deviceName(argTensor(info, 0).device()));
}

Napi::Value Dim(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(argTensor(info, 0).dim()));
}

Napi::Value Numel(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(argTensor(info, 0).numel()));
}

Napi::Value IsContiguous(const Napi::CallbackInfo& info) {
  const at::Tensor& t = argTensor(info, 0);
  if (info.Length() > 1 && info[1].IsString()) {
    return Napi::Boolean::New(info.Env(), t.is_contiguous(parseMemoryFormat(argString(info, 1))));
  }
  return Napi::Boolean::New(info.Env(), t.is_contiguous());
}

Napi::Value IsPinned(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), argTensor(info, 0).is_pinned());
}

// The bytes of a tensor as it would be read on the CPU, contiguous; half types widen to float32 since
// JavaScript has no typed array for them.
at::Tensor hostContiguous(const at::Tensor& t) {
  at::Tensor c = t.detach();
  if (c.scalar_type() == at::kHalf || c.scalar_type() == at::kBFloat16) c = c.to(at::kFloat);
  return c.to(at::kCPU).contiguous();
}

Napi::Value ToBuffer(const Napi::CallbackInfo& info) {
  at::Tensor c = hostContiguous(argTensor(info, 0));
  size_t n = c.numel() * c.element_size();
  Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(info.Env(), n);
  if (n) std::memcpy(ab.Data(), c.data_ptr(), n);
  return ab;
}

// The same copy on the libuv pool, so that waiting for a GPU result does not block the event loop.
class CopyOutWorker : public PromiseWorker {
 public:
  CopyOutWorker(Napi::Env env, at::Tensor t) : PromiseWorker(env, "torch-node:data"), tensor_(std::move(t)) {}

 private:
  void run() override {
    at::Tensor c = hostContiguous(tensor_);
    tensor_.reset();
    bytes_.resize(c.numel() * c.element_size());
    if (!bytes_.empty()) std::memcpy(bytes_.data(), c.data_ptr(), bytes_.size());
  }
  Napi::Value result(Napi::Env env) override {
    Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(env, bytes_.size());
    if (!bytes_.empty()) std::memcpy(ab.Data(), bytes_.data(), bytes_.size());
    return ab;
  }

  at::Tensor tensor_;
  std::vector<uint8_t> bytes_;
};

Napi::Value ToBufferAsync(const Napi::CallbackInfo& info) {
  auto* w = new CopyOutWorker(info.Env(), argTensor(info, 0));
  Napi::Promise p = w->promise();
  w->Queue();
  return p;
}

Napi::Value Item(const Napi::CallbackInfo& info) {
  const at::Tensor& t = argTensor(info, 0);
  at::Scalar s = t.item();
  Napi::Env env = info.Env();
  if (s.isBoolean()) return Napi::Boolean::New(env, s.toBool());
  if (s.isIntegral(false)) {
    // A number holds integers exactly up to 2^53; beyond, the value comes as a bigint.
    int64_t v = s.toLong();
    constexpr int64_t kExact = (int64_t{1} << 53) - 1;
    if (v > kExact || v < -kExact) return Napi::BigInt::New(env, v);
    return Napi::Number::New(env, static_cast<double>(v));
  }
  if (s.isComplex()) typeError("item() of a complex tensor is not supported");
  return Napi::Number::New(env, s.toDouble());
}

}  // namespace

void initTensor(Napi::Env env, Napi::Object exports) {
  exportFn<FromBuffer>(env, exports, "fromBuffer");
  exportFn<ScalarTensor>(env, exports, "scalarTensor");
  exportFn<Dispose>(env, exports, "dispose");
  exportFn<Drop>(env, exports, "drop");
  exportFn<Track>(env, exports, "track");
  exportFn<Shape>(env, exports, "shape");
  exportFn<Stride>(env, exports, "stride");
  exportFn<StorageOffset>(env, exports, "storageOffset");
  exportFn<Dtype>(env, exports, "dtype");
  exportFn<DeviceOf>(env, exports, "device");
  exportFn<Dim>(env, exports, "dim");
  exportFn<Numel>(env, exports, "numel");
  exportFn<IsContiguous>(env, exports, "isContiguous");
  exportFn<IsPinned>(env, exports, "isPinned");
  exportFn<ToBuffer>(env, exports, "toBuffer");
  exportFn<ToBufferAsync>(env, exports, "toBufferAsync");
  exportFn<Item>(env, exports, "item");
}

}  // namespace tn
