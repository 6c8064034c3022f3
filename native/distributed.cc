// torch.distributed over c10d: stores, process groups (Gloo; NCCL on a CUDA build), collectives and DDP's
// Reducer. Native objects reach JavaScript as type-tagged Externals. Whatever blocks (connecting to a store,
// a group's rendezvous, waiting for a collective) runs on libuv's pool and settles a Promise, so the event
// loop stays alive; failures and timeouts reject with PyTorch's message.
#include "common.h"
#include "promise_worker.h"
#include "compat.h"
#include "distributed_compat.h"

#include <cstdlib>
#include <functional>
#include <memory>
#include <sstream>

namespace tn {
namespace {

// One native distributed object held by a JavaScript External.
struct DistObject {
  enum class Kind { Store, Group, Reducer } kind;
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroup> group;
  std::unique_ptr<c10d::Reducer> reducer;
  std::string backend;

  explicit DistObject(Kind k, std::string b = "") : kind(k), backend(std::move(b)) {}
  void release() {
    // The Reducer removes its autograd hooks in its destructor, which may throw.
    try {
      reducer.reset();
    } catch (...) {
    }
    group.reset();
    store.reset();
  }
  ~DistObject() { release(); }
};

constexpr napi_type_tag kDistTag = {0x8c5d1f7a2b9e4c31ULL, 0xa07e6d3c95f1b842ULL};

Napi::Value wrap(Napi::Env env, std::unique_ptr<DistObject> o) {
  auto ext = Napi::External<DistObject>::New(env, o.release(), [](Napi::Env, DistObject* p) { delete p; });
  napi_type_tag_object(env, ext, &kDistTag);
  return ext;
}

DistObject& unwrap(const Napi::CallbackInfo& info, size_t i, DistObject::Kind kind, const char* what) {
  bool ok = false;
  if (info.Length() > i && info[i].IsExternal()) napi_check_object_type_tag(info.Env(), info[i], &kDistTag, &ok);
  if (!ok) typeError(std::string("expected a native ") + what);
  auto* o = info[i].As<Napi::External<DistObject>>().Data();
  if (o->kind != kind) typeError(std::string("expected a native ") + what);
  bool live = (kind == DistObject::Kind::Store && o->store) || (kind == DistObject::Kind::Group && o->group) ||
              (kind == DistObject::Kind::Reducer && o->reducer);
  if (!live) typeError(std::string("the ") + what + " has been destroyed");
  return *o;
}


std::chrono::milliseconds msArg(const Napi::CallbackInfo& info, size_t i) {
  int64_t ms = argInt(info, i);
  if (ms <= 0) rangeError("timeout must be positive");
  return std::chrono::milliseconds(ms);
}

c10d::ReduceOp reduceOpArg(const Napi::CallbackInfo& info, size_t i) {
  std::string op = argString(info, i);
  if (op == "sum") return c10d::ReduceOp::SUM;
  if (op == "avg") return c10d::ReduceOp::AVG;
  if (op == "product") return c10d::ReduceOp::PRODUCT;
  if (op == "min") return c10d::ReduceOp::MIN;
  if (op == "max") return c10d::ReduceOp::MAX;
  if (op == "band") return c10d::ReduceOp::BAND;
  if (op == "bor") return c10d::ReduceOp::BOR;
  if (op == "bxor") return c10d::ReduceOp::BXOR;
  typeError("unknown reduce op '" + op + "'");
}

// Runs `run` on libuv's pool and settles a Promise: with `done(env)` when it returned, with a TorchError
// carrying PyTorch's message when it threw. Inputs are captured by value (tensors are reference counted), so
// nothing here touches JavaScript values off the main thread.
class Task : public PromiseWorker {
 public:
  static Napi::Value start(Napi::Env env, std::function<void()> run, std::function<Napi::Value(Napi::Env)> done = nullptr) {
    auto* t = new Task(env, std::move(run), std::move(done));
    Napi::Promise p = t->promise();
    t->Queue();
    return p;
  }

 private:
  Task(Napi::Env env, std::function<void()> run, std::function<Napi::Value(Napi::Env)> done)
      : PromiseWorker(env, "torch-node:distributed"), run_(std::move(run)), done_(std::move(done)) {}

  void run() override { run_(); }
  Napi::Value result(Napi::Env env) override { return done_ ? done_(env) : env.Undefined(); }

  std::function<void()> run_;
  std::function<Napi::Value(Napi::Env)> done_;
};

// Launches a collective now, on the JavaScript thread, so that every rank issues its collectives in program
// order (c10d pairs them by sequence); only the wait runs on the pool. A launch error rejects the Promise. The
// closure keeps the group and the tensors referenced until the work is done.
Napi::Value awaitWork(Napi::Env env, std::function<c10::intrusive_ptr<c10d::Work>()> launch) {
  c10::intrusive_ptr<c10d::Work> work;
  std::string error;
  try {
    work = launch();
  } catch (const c10::Error& e) {
    error = e.what_without_backtrace();
  } catch (const std::exception& e) {
    error = e.what();
  }
  if (!work) {
    auto d = Napi::Promise::Deferred::New(env);
    d.Reject(makeTorchError(env, error.empty() ? "the collective could not be started" : error).Value());
    return d.Promise();
  }
  return Task::start(env, [work, launch = std::move(launch)] { work->wait(); });
}

// --- stores -------------------------------------------------------------------------------------------

// distTcpStore(host, port, isServer, worldSize, timeoutMs) -> Promise<store>. A worker retries connecting
// until the timeout, as torch.distributed.TCPStore does.
Napi::Value TcpStore(const Napi::CallbackInfo& info) {
  std::string host = argString(info, 0);
  int64_t port = argInt(info, 1);
  if (port < 0 || port > 65535) rangeError("port must be in 0..65535");
  bool isServer = argBool(info, 2);
  int64_t worldSize = argInt(info, 3);
  auto timeout = msArg(info, 4);
  auto obj = std::make_shared<std::unique_ptr<DistObject>>(new DistObject(DistObject::Kind::Store));
  return Task::start(
      info.Env(),
      [=] {
        c10d::TCPStoreOptions o;
        o.port = static_cast<std::uint16_t>(port);
        o.isServer = isServer;
        if (worldSize > 0) o.numWorkers = static_cast<std::size_t>(worldSize);
        o.waitWorkers = false;
        o.timeout = timeout;
        (*obj)->store = c10::make_intrusive<c10d::TCPStore>(host, o);
      },
      [=](Napi::Env env) { return wrap(env, std::move(*obj)); });
}

// distFileStore(path, worldSize) -> store.
Napi::Value FileStore(const Napi::CallbackInfo& info) {
  std::string path = argString(info, 0);
  int64_t worldSize = argInt(info, 1);
  auto o = std::make_unique<DistObject>(DistObject::Kind::Store);
  o->store = c10::make_intrusive<c10d::FileStore>(path, static_cast<int>(worldSize));
  return wrap(info.Env(), std::move(o));
}

// distStoreSet(store, key, value)
Napi::Value StoreSet(const Napi::CallbackInfo& info) {
  auto& s = *unwrap(info, 0, DistObject::Kind::Store, "store").store;
  std::string key = argString(info, 1), value = argString(info, 2);
  s.set(key, std::vector<uint8_t>(value.begin(), value.end()));
  return info.Env().Undefined();
}

// distStoreGet(store, key) -> Promise<string>: waits for the key up to the store's timeout.
Napi::Value StoreGet(const Napi::CallbackInfo& info) {
  auto store = unwrap(info, 0, DistObject::Kind::Store, "store").store;
  std::string key = argString(info, 1);
  auto value = std::make_shared<std::vector<uint8_t>>();
  return Task::start(
      info.Env(), [=] { *value = store->get(key); },
      [=](Napi::Env env) { return Napi::String::New(env, std::string(value->begin(), value->end())); });
}

// --- process groups -------------------------------------------------------------------------------------

c10::intrusive_ptr<c10d::ProcessGroup> newGloo(const c10::intrusive_ptr<c10d::Store>& store, int rank, int size,
                                               std::chrono::milliseconds timeout) {
  auto options = c10d::ProcessGroupGloo::Options::create(timeout);
  // As torch.distributed does: GLOO_SOCKET_IFNAME names the interfaces, else the host name's address, else
  // loopback.
  const char* ifnames = std::getenv("GLOO_SOCKET_IFNAME");
  if (ifnames && *ifnames) {
    std::stringstream ss(ifnames);
    std::string name;
    while (std::getline(ss, name, ',')) {
      if (!name.empty()) options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(name));
    }
  }
  if (options->devices.empty()) options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
  options->threads = static_cast<int>(options->devices.size()) * 2;
  auto backend = c10::make_intrusive<c10d::ProcessGroupGloo>(store, rank, size, options);
  return compat::asProcessGroup(store, rank, size, backend, compat::kGlooBackend, timeout);
}

// distNewGroup(store, rank, size, backend, timeoutMs) -> Promise<group>: the rendezvous of all ranks.
Napi::Value NewGroup(const Napi::CallbackInfo& info) {
  auto store = unwrap(info, 0, DistObject::Kind::Store, "store").store;
  int64_t rank = argInt(info, 1), size = argInt(info, 2);
  if (size <= 0 || rank < 0 || rank >= size) rangeError("invalid rank " + std::to_string(rank) + " for world size " + std::to_string(size));
  std::string backend = argString(info, 3);
  auto timeout = msArg(info, 4);
  if (backend != "gloo" && backend != "nccl") typeError("unknown backend '" + backend + "'");
#ifndef TORCH_NODE_WITH_CUDA
  if (backend == "nccl") TORCH_CHECK(false, "Distributed package doesn't have NCCL built in");
#endif
  auto obj = std::make_shared<std::unique_ptr<DistObject>>(new DistObject(DistObject::Kind::Group, backend));
  return Task::start(
      info.Env(),
      [=] {
        int r = static_cast<int>(rank), n = static_cast<int>(size);
        if (backend == "gloo") (*obj)->group = newGloo(store, r, n, timeout);
#ifdef TORCH_NODE_WITH_CUDA
        else (*obj)->group = compat::newNccl(store, r, n, timeout);
#endif
      },
      [=](Napi::Env env) { return wrap(env, std::move(*obj)); });
}

// distRelease(object): frees a store, group or reducer now (destroy_process_group); later use throws.
Napi::Value Release(const Napi::CallbackInfo& info) {
  bool ok = false;
  if (info.Length() > 0 && info[0].IsExternal()) napi_check_object_type_tag(info.Env(), info[0], &kDistTag, &ok);
  if (!ok) typeError("expected a native distributed object");
  info[0].As<Napi::External<DistObject>>().Data()->release();
  return info.Env().Undefined();
}

// --- collectives: each returns a Promise settled when the work completed ---------------------------------

// distAllReduce(group, tensors, op)
Napi::Value AllReduce(const Napi::CallbackInfo& info) {
  auto group = unwrap(info, 0, DistObject::Kind::Group, "process group").group;
  auto tensors = argTensors(info, 1, "tensors");
  c10d::AllreduceOptions o;
  o.reduceOp = reduceOpArg(info, 2);
  return awaitWork(info.Env(), [=]() mutable { return group->allreduce(tensors, o); });
}

// distBroadcast(group, tensors, root)
Napi::Value Broadcast(const Napi::CallbackInfo& info) {
  auto group = unwrap(info, 0, DistObject::Kind::Group, "process group").group;
  auto tensors = argTensors(info, 1, "tensors");
  c10d::BroadcastOptions o;
  o.rootRank = argInt(info, 2);
  return awaitWork(info.Env(), [=]() mutable { return group->broadcast(tensors, o); });
}

// distAllGather(group, outputs, input)
Napi::Value AllGather(const Napi::CallbackInfo& info) {
  auto group = unwrap(info, 0, DistObject::Kind::Group, "process group").group;
  std::vector<std::vector<at::Tensor>> outputs{argTensors(info, 1, "tensors")};
  std::vector<at::Tensor> inputs{argTensor(info, 2)};
  return awaitWork(info.Env(), [=]() mutable { return group->allgather(outputs, inputs); });
}

// distReduceScatter(group, output, inputs, op)
Napi::Value ReduceScatter(const Napi::CallbackInfo& info) {
  auto group = unwrap(info, 0, DistObject::Kind::Group, "process group").group;
  std::vector<at::Tensor> outputs{argTensor(info, 1)};
  std::vector<std::vector<at::Tensor>> inputs{argTensors(info, 2, "tensors")};
  c10d::ReduceScatterOptions o;
  o.reduceOp = reduceOpArg(info, 3);
  return awaitWork(info.Env(), [=]() mutable { return group->reduce_scatter(outputs, inputs, o); });
}

// distBarrier(group)
Napi::Value Barrier(const Napi::CallbackInfo& info) {
  auto group = unwrap(info, 0, DistObject::Kind::Group, "process group").group;
  return awaitWork(info.Env(), [=] { return group->barrier(); });
}

// distSend(group, tensor, dst, tag)
Napi::Value Send(const Napi::CallbackInfo& info) {
  auto group = unwrap(info, 0, DistObject::Kind::Group, "process group").group;
  std::vector<at::Tensor> t{argTensor(info, 1)};
  int dst = static_cast<int>(argInt(info, 2)), tag = static_cast<int>(argInt(info, 3));
  return awaitWork(info.Env(), [=]() mutable { return group->send(t, dst, tag); });
}

// distRecv(group, tensor, src, tag)
Napi::Value Recv(const Napi::CallbackInfo& info) {
  auto group = unwrap(info, 0, DistObject::Kind::Group, "process group").group;
  std::vector<at::Tensor> t{argTensor(info, 1)};
  int src = static_cast<int>(argInt(info, 2)), tag = static_cast<int>(argInt(info, 3));
  return awaitWork(info.Env(), [=]() mutable { return group->recv(t, src, tag); });
}

// distBroadcastCoalesced(group, tensors, bufferBytes, root): synchronous, in flattened buffers (DDP's
// parameter and buffer synchronisation).
Napi::Value BroadcastCoalesced(const Napi::CallbackInfo& info) {
  auto group = unwrap(info, 0, DistObject::Kind::Group, "process group").group;
  auto tensors = argTensors(info, 1, "tensors");
  int64_t bytes = argInt(info, 2);
  int root = static_cast<int>(argInt(info, 3));
  if (!tensors.empty()) {
    at::NoGradGuard g;
    c10d::broadcast_coalesced(group, tensors, static_cast<size_t>(bytes), root);
  }
  return info.Env().Undefined();
}

// --- DDP's Reducer ---------------------------------------------------------------------------------------

// distReducerNew(group, params, names, bucketCapBytes, findUnusedParameters) -> reducer. Buckets as
// DistributedDataParallel assigns them: by size in parameter order, then reversed (the order gradients are
// produced in), the first bucket small so that communication starts early.
Napi::Value ReducerNew(const Napi::CallbackInfo& info) {
  auto group = unwrap(info, 0, DistObject::Kind::Group, "process group").group;
  auto params = argTensors(info, 1, "tensors");
  if (!info[2].IsArray()) typeError("argument 2 must be an array of names");
  Napi::Array names = info[2].As<Napi::Array>();
  int64_t cap = argInt(info, 3);
  bool findUnused = argBool(info, 4);
  if (params.empty()) typeError("DistributedDataParallel is not needed when a module doesn't have any parameter that requires a gradient.");
  std::unordered_map<size_t, std::string> paramNames;
  for (uint32_t k = 0; k < names.Length() && k < params.size(); k++) {
    Napi::Value v = names[k];
    if (v.IsString()) paramNames[k] = v.As<Napi::String>().Utf8Value();
  }
  std::vector<bool> sparse(params.size(), false);
  auto assignment = c10d::compute_bucket_assignment_by_size(
      params, {static_cast<size_t>(c10d::kDefaultFirstBucketBytes), static_cast<size_t>(cap)}, sparse, {}, c10::nullopt);
  auto buckets = std::get<0>(assignment);
  auto limits = std::get<1>(assignment);
  std::reverse(buckets.begin(), buckets.end());
  std::reverse(limits.begin(), limits.end());
  auto o = std::make_unique<DistObject>(DistObject::Kind::Reducer);
  o->group = group;
  o->reducer = compat::newReducer(params, buckets, limits, group, sparse, cap, findUnused, paramNames);
  return wrap(info.Env(), std::move(o));
}

// distReducerRebuildBuckets(reducer) -> whether the buckets were rebuilt in the order the first backward
// produced the gradients (once, before the second forward).
Napi::Value ReducerRebuildBuckets(const Napi::CallbackInfo& info) {
  auto& r = *unwrap(info, 0, DistObject::Kind::Reducer, "reducer").reducer;
  return Napi::Boolean::New(info.Env(), r.rebuild_buckets());
}

// distReducerPrepareForward(reducer)
Napi::Value ReducerPrepareForward(const Napi::CallbackInfo& info) {
  unwrap(info, 0, DistObject::Kind::Reducer, "reducer").reducer->prepare_for_forward();
  return info.Env().Undefined();
}

// distReducerPrepareBackward(reducer, outputs): arms the autograd hooks for the next backward.
Napi::Value ReducerPrepareBackward(const Napi::CallbackInfo& info) {
  auto& r = *unwrap(info, 0, DistObject::Kind::Reducer, "reducer").reducer;
  r.prepare_for_backward(argTensors(info, 1, "tensors"));
  return info.Env().Undefined();
}

}  // namespace

void initDistributed(Napi::Env env, Napi::Object exports) {
  exportFn<TcpStore>(env, exports, "distTcpStore");
  exportFn<FileStore>(env, exports, "distFileStore");
  exportFn<StoreSet>(env, exports, "distStoreSet");
  exportFn<StoreGet>(env, exports, "distStoreGet");
  exportFn<NewGroup>(env, exports, "distNewGroup");
  exportFn<Release>(env, exports, "distRelease");
  exportFn<AllReduce>(env, exports, "distAllReduce");
  exportFn<Broadcast>(env, exports, "distBroadcast");
  exportFn<AllGather>(env, exports, "distAllGather");
  exportFn<ReduceScatter>(env, exports, "distReduceScatter");
  exportFn<Barrier>(env, exports, "distBarrier");
  exportFn<Send>(env, exports, "distSend");
  exportFn<Recv>(env, exports, "distRecv");
  exportFn<BroadcastCoalesced>(env, exports, "distBroadcastCoalesced");
  exportFn<ReducerNew>(env, exports, "distReducerNew");
  exportFn<ReducerRebuildBuckets>(env, exports, "distReducerRebuildBuckets");
  exportFn<ReducerPrepareForward>(env, exports, "distReducerPrepareForward");
  exportFn<ReducerPrepareBackward>(env, exports, "distReducerPrepareBackward");
}

}  // namespace tn
