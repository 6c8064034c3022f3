// Conversion between JavaScript values and IValues, driven by a schema's types: one converter for the operator
// path (native/ops.cc) and TorchScript calls (native/jit.cc).
#pragma once
#include "common.h"

namespace tn {

// How tensors travel. The operator path passes raw handles (its TypeScript side wraps results by the schema's
// return type); TorchScript values nest freely (tuples of lists of dicts), so there tensors travel as the
// TypeScript Tensor objects themselves: `tensorClass` recognizes them and `wrap(handle)` makes one.
struct JsTensors {
  Napi::Function tensorClass;
  Napi::Function wrap;
};

// Whether a JavaScript number acts as a Python int: integral, within int64's range, and not -0 (which only a float
// holds).
bool isIntegral(double d);

// `a` names the argument in errors; `js` is null on the operator path.
c10::IValue toIValue(TensorTable& table, const Napi::Value& v, const c10::TypePtr& type, const c10::Argument& a,
                     const JsTensors* js = nullptr);

// Tensors become handles (or Tensor objects with `js`), None null, tuples and lists arrays, dicts with string
// keys plain objects and other dicts Maps.
Napi::Value fromIValue(Napi::Env env, TensorTable& table, const c10::IValue& v, const JsTensors* js = nullptr);

}  // namespace tn
