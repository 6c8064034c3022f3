// JavaScript values <-> IValues (see ivalue.h).
#include "ivalue.h"

#include <cmath>

namespace tn {

bool isIntegral(double d) {
  // Every integral double in int64's range is exact there (2^63 itself is not in range).
  return d >= -9223372036854775808.0 && d < 9223372036854775808.0 && d == std::trunc(d) && !(d == 0 && std::signbit(d));
}

namespace {

[[noreturn]] void badArg(const c10::Argument& a, const std::string& expected) {
  typeError("argument '" + a.name() + "' must be " + expected);
}

int64_t toInt(const Napi::Value& v, const c10::Argument& a) {
  if (v.IsBoolean()) return v.As<Napi::Boolean>().Value() ? 1 : 0;
  if (!v.IsNumber()) badArg(a, "an integer");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= -9.3e18 && d <= 9.3e18) || d != static_cast<double>(static_cast<int64_t>(d))) badArg(a, "an integer");
  return static_cast<int64_t>(d);
}

double toDouble(const Napi::Value& v, const c10::Argument& a) {
  if (v.IsBoolean()) return v.As<Napi::Boolean>().Value() ? 1.0 : 0.0;
  if (!v.IsNumber()) badArg(a, "a number");
  return v.As<Napi::Number>().DoubleValue();
}

// A number, a boolean, or `{ scalarOf: handle }`: a one-element tensor's value with its type (Python's parser
// takes a 0-dim tensor as a Scalar, keeping 2.0 a float).
at::Scalar toScalar(TensorTable& table, const Napi::Value& v, const c10::Argument& a) {
  if (v.IsBoolean()) return at::Scalar(v.As<Napi::Boolean>().Value());
  if (v.IsObject() && !v.IsArray()) {
    Napi::Value h = v.As<Napi::Object>().Get("scalarOf");
    if (!h.IsNumber()) badArg(a, "a number");
    return table.get(h.As<Napi::Number>().Int32Value()).item();
  }
  if (!v.IsNumber()) badArg(a, "a number");
  double d = v.As<Napi::Number>().DoubleValue();
  // A JavaScript number that is integral acts as a Python int (it keeps integer tensors integral).
  if (isIntegral(d)) return at::Scalar(static_cast<int64_t>(d));
  return at::Scalar(d);
}

bool isJsTensor(const Napi::Value& v, const JsTensors* js) {
  return js != nullptr && v.IsObject() && v.As<Napi::Object>().InstanceOf(js->tensorClass);
}

const at::Tensor& toTensor(TensorTable& table, const Napi::Value& v, const c10::Argument& a, const JsTensors* js) {
  if (js != nullptr) {
    if (!isJsTensor(v, js)) badArg(a, "a Tensor");
    // The `handle` getter throws for a disposed tensor.
    Napi::Value h = v.As<Napi::Object>().Get("handle");
    return table.get(h.As<Napi::Number>().Int32Value());
  }
  if (!v.IsNumber()) badArg(a, "a Tensor");
  return table.get(v.As<Napi::Number>().Int32Value());
}

c10::IValue toList(TensorTable& table, const Napi::Value& v, const c10::TypePtr& elem, const c10::Argument& a, const JsTensors* js) {
  std::vector<Napi::Value> items;
  if (v.IsArray()) {
    Napi::Array arr = v.As<Napi::Array>();
    items.reserve(arr.Length());
    for (uint32_t i = 0; i < arr.Length(); i++) items.push_back(arr.Get(i));
  } else if (v.IsNumber() && (elem->kind() == c10::TypeKind::IntType || elem->kind() == c10::TypeKind::SymIntType)) {
    // Python accepts a single int for int[N]: `stride=2` means (2, 2).
    size_t n = a.N() ? static_cast<size_t>(*a.N()) : 1;
    items.assign(n, v);
  } else {
    badArg(a, "an array");
  }
  switch (elem->kind()) {
    case c10::TypeKind::IntType:
    case c10::TypeKind::SymIntType: {
      std::vector<int64_t> xs;
      xs.reserve(items.size());
      for (auto& x : items) xs.push_back(toInt(x, a));
      return c10::IValue(xs);
    }
    case c10::TypeKind::FloatType: {
      std::vector<double> xs;
      for (auto& x : items) xs.push_back(toDouble(x, a));
      return c10::IValue(xs);
    }
    case c10::TypeKind::BoolType: {
      c10::List<bool> xs;
      for (auto& x : items) {
        if (!x.IsBoolean()) badArg(a, "an array of booleans");
        xs.push_back(x.As<Napi::Boolean>().Value());
      }
      return c10::IValue(xs);
    }
    case c10::TypeKind::TensorType: {
      std::vector<at::Tensor> xs;
      xs.reserve(items.size());
      for (auto& x : items) xs.push_back(toTensor(table, x, a, js));
      return c10::IValue(xs);
    }
    case c10::TypeKind::OptionalType: {
      auto inner = elem->castRaw<c10::OptionalType>()->getElementType();
      if (inner->kind() == c10::TypeKind::TensorType) {
        c10::List<c10::optional<at::Tensor>> xs;
        for (auto& x : items) {
          if (x.IsNull() || x.IsUndefined()) {
            xs.push_back(c10::nullopt);
          } else {
            xs.push_back(toTensor(table, x, a, js));
          }
        }
        return c10::IValue(xs);
      }
      break;
    }
    case c10::TypeKind::NumberType: {
      c10::impl::GenericList xs(c10::NumberType::get());
      for (auto& x : items) xs.push_back(c10::IValue(toScalar(table, x, a)));
      return c10::IValue(xs);
    }
    default: break;
  }
  // Any other element type (str, nested lists, tuples, dicts): element by element.
  c10::impl::GenericList xs(elem);
  xs.reserve(items.size());
  for (auto& x : items) xs.push_back(toIValue(table, x, elem, a, js));
  return c10::IValue(xs);
}

// A dict key from an object's property name (always a string in JavaScript).
c10::IValue keyFromName(const std::string& name, const c10::TypePtr& keyType, const c10::Argument& a) {
  switch (keyType->kind()) {
    case c10::TypeKind::StringType: return c10::IValue(name);
    case c10::TypeKind::IntType: {
      char* end = nullptr;
      long long k = std::strtoll(name.c_str(), &end, 10);
      if (name.empty() || *end != '\0') badArg(a, "a dict with integer keys (a Map, or an object whose keys are integers)");
      return c10::IValue(static_cast<int64_t>(k));
    }
    default: badArg(a, "a Map with keys of type " + keyType->str());
  }
}

c10::IValue toDict(TensorTable& table, const Napi::Value& v, const c10::DictType& type, const c10::Argument& a, const JsTensors* js) {
  Napi::Env env = v.Env();
  if (!v.IsObject() || v.IsArray() || isJsTensor(v, js)) badArg(a, "a dict (an object or a Map)");
  const c10::TypePtr& keyType = type.getKeyType();
  const c10::TypePtr& valueType = type.getValueType();
  c10::impl::GenericDict d(keyType, valueType);
  Napi::Object o = v.As<Napi::Object>();
  Napi::Object global = env.Global();
  if (o.InstanceOf(global.Get("Map").As<Napi::Function>())) {
    Napi::Function from = global.Get("Array").As<Napi::Object>().Get("from").As<Napi::Function>();
    Napi::Array entries = from.Call({o}).As<Napi::Array>();
    for (uint32_t i = 0; i < entries.Length(); i++) {
      Napi::Array kv = entries.Get(i).As<Napi::Array>();
      d.insert_or_assign(toIValue(table, kv.Get(0u), keyType, a, js), toIValue(table, kv.Get(1u), valueType, a, js));
    }
  } else {
    Napi::Array keys = global.Get("Object").As<Napi::Object>().Get("keys").As<Napi::Function>().Call({o}).As<Napi::Array>();
    for (uint32_t i = 0; i < keys.Length(); i++) {
      Napi::Value k = keys.Get(i);
      d.insert_or_assign(keyFromName(k.As<Napi::String>().Utf8Value(), keyType, a), toIValue(table, o.Get(k), valueType, a, js));
    }
  }
  return c10::IValue(d);
}

// A value for an argument typed Any: what Python would infer from the value.
c10::IValue inferIValue(TensorTable& table, const Napi::Value& v, const c10::Argument& a, const JsTensors* js) {
  if (v.IsNull() || v.IsUndefined()) return c10::IValue();
  if (v.IsBoolean()) return c10::IValue(v.As<Napi::Boolean>().Value());
  if (v.IsNumber()) {
    double d = v.As<Napi::Number>().DoubleValue();
    return isIntegral(d) ? c10::IValue(static_cast<int64_t>(d)) : c10::IValue(d);
  }
  if (v.IsString()) return c10::IValue(v.As<Napi::String>().Utf8Value());
  if (isJsTensor(v, js)) return c10::IValue(toTensor(table, v, a, js));
  badArg(a, "a tensor, number, boolean, string or null (its type is Any)");
}

}  // namespace

c10::IValue toIValue(TensorTable& table, const Napi::Value& v, const c10::TypePtr& type, const c10::Argument& a, const JsTensors* js) {
  switch (type->kind()) {
    case c10::TypeKind::OptionalType:
      if (v.IsNull() || v.IsUndefined()) return c10::IValue();
      return toIValue(table, v, type->castRaw<c10::OptionalType>()->getElementType(), a, js);
    case c10::TypeKind::NoneType:
      if (!v.IsNull() && !v.IsUndefined()) badArg(a, "null");
      return c10::IValue();
    case c10::TypeKind::TensorType: return c10::IValue(toTensor(table, v, a, js));
    case c10::TypeKind::IntType:
    case c10::TypeKind::SymIntType: return c10::IValue(toInt(v, a));
    case c10::TypeKind::FloatType: return c10::IValue(toDouble(v, a));
    case c10::TypeKind::BoolType:
      if (!v.IsBoolean()) badArg(a, "a boolean");
      return c10::IValue(v.As<Napi::Boolean>().Value());
    case c10::TypeKind::NumberType: return c10::IValue(toScalar(table, v, a));
    case c10::TypeKind::StringType:
      if (!v.IsString()) badArg(a, "a string");
      return c10::IValue(v.As<Napi::String>().Utf8Value());
    case c10::TypeKind::ScalarTypeType:
      if (!v.IsString()) badArg(a, "a dtype");
      return c10::IValue(parseDtype(v.As<Napi::String>().Utf8Value()));
    case c10::TypeKind::LayoutType:
      if (!v.IsString() || v.As<Napi::String>().Utf8Value() != "strided") badArg(a, "'strided'");
      return c10::IValue(at::kStrided);
    case c10::TypeKind::MemoryFormatType:
      if (!v.IsString()) badArg(a, "a memory format");
      return c10::IValue(parseMemoryFormat(v.As<Napi::String>().Utf8Value()));
    case c10::TypeKind::DeviceObjType:
      if (!v.IsString()) badArg(a, "a device");
      return c10::IValue(parseDevice(v.As<Napi::String>().Utf8Value()));
    case c10::TypeKind::ListType:
      return toList(table, v, type->castRaw<c10::ListType>()->getElementType(), a, js);
    case c10::TypeKind::TupleType: {
      const auto& elems = type->castRaw<c10::TupleType>()->elements();
      if (!v.IsArray() || v.As<Napi::Array>().Length() != elems.size()) {
        badArg(a, "an array of " + std::to_string(elems.size()) + " elements (a tuple " + type->str() + ")");
      }
      Napi::Array arr = v.As<Napi::Array>();
      std::vector<c10::IValue> xs;
      xs.reserve(elems.size());
      for (size_t i = 0; i < elems.size(); i++) xs.push_back(toIValue(table, arr.Get(static_cast<uint32_t>(i)), elems[i], a, js));
      return c10::ivalue::Tuple::create(std::move(xs));
    }
    case c10::TypeKind::DictType: return toDict(table, v, *type->castRaw<c10::DictType>(), a, js);
    case c10::TypeKind::UnionType:
      // The first member type the value converts to, as TorchScript's own matching in declaration order.
      for (const c10::TypePtr& t : type->castRaw<c10::UnionType>()->containedTypes()) {
        try {
          return toIValue(table, v, t, a, js);
        } catch (const ArgError&) {
        }
      }
      badArg(a, "of type " + type->str());
    case c10::TypeKind::AnyType: return inferIValue(table, v, a, js);
    default: break;
  }
  typeError("argument '" + a.name() + "' has the unsupported type " + type->str());
}

Napi::Value fromIValue(Napi::Env env, TensorTable& table, const c10::IValue& v, const JsTensors* js) {
  if (v.isTensor()) {
    const at::Tensor& t = v.toTensor();
    if (!t.defined()) return env.Null();
    Napi::Value h = Napi::Number::New(env, table.put(t));
    return js != nullptr ? js->wrap.Call({h}) : h;
  }
  if (v.isNone()) return env.Null();
  if (v.isBool()) return Napi::Boolean::New(env, v.toBool());
  if (v.isInt()) return Napi::Number::New(env, static_cast<double>(v.toInt()));
  if (v.isDouble()) return Napi::Number::New(env, v.toDouble());
  if (v.isString()) return Napi::String::New(env, v.toStringRef());
  if (v.isDevice()) return Napi::String::New(env, v.toDevice().str());
  if (v.isTuple()) {
    const auto& elems = v.toTupleRef().elements();
    Napi::Array a = Napi::Array::New(env, elems.size());
    for (size_t i = 0; i < elems.size(); i++) a.Set(static_cast<uint32_t>(i), fromIValue(env, table, elems[i], js));
    return a;
  }
  if (v.isList()) {
    auto list = v.toListRef();
    Napi::Array a = Napi::Array::New(env, list.size());
    for (size_t i = 0; i < list.size(); i++) a.Set(static_cast<uint32_t>(i), fromIValue(env, table, list[i], js));
    return a;
  }
  if (v.isGenericDict()) {
    auto dict = v.toGenericDict();
    if (dict.keyType()->kind() == c10::TypeKind::StringType) {
      Napi::Object o = Napi::Object::New(env);
      for (const auto& e : dict) o.Set(e.key().toStringRef(), fromIValue(env, table, e.value(), js));
      return o;
    }
    Napi::Object m = env.Global().Get("Map").As<Napi::Function>().New({});
    Napi::Function set = m.Get("set").As<Napi::Function>();
    for (const auto& e : dict) set.Call(m, {fromIValue(env, table, e.key(), js), fromIValue(env, table, e.value(), js)});
    return m;
  }
  typeError(std::string("cannot convert a value of type ") + v.tagKind() + " to JavaScript");
}

}  // namespace tn
