// Work on libuv's pool that settles a Promise, for every asynchronous entry point (tensor copies, TorchScript
// loads, JPEG decoding, distributed collectives).
#pragma once
#include "common.h"

#include <string>

namespace tn {

// run() executes off the JavaScript thread; a C++ exception there rejects the Promise with a TorchError carrying
// PyTorch's message. result() makes the resolved value on the JavaScript thread. Settling is guarded too: if making
// the value or settling fails (as when a worker thread is being terminated, where every Node-API call fails),
// the Promise is rejected if it still can be, and nothing escapes to node-addon-api, which would abort the process.
class PromiseWorker : public Napi::AsyncWorker {
 public:
  Napi::Promise promise() const { return deferred_.Promise(); }

 protected:
  PromiseWorker(Napi::Env env, const char* name) : Napi::AsyncWorker(env, name), deferred_(Napi::Promise::Deferred::New(env)) {}

  virtual void run() = 0;
  virtual Napi::Value result(Napi::Env env) { return env.Undefined(); }

 private:
  // The message of the exception being handled (PyTorch's, without the C++ backtrace).
  static std::string currentMessage() {
    try {
      throw;
    } catch (const c10::Error& e) {
      return e.what_without_backtrace();
    } catch (const std::exception& e) {
      return e.what();
    } catch (...) {
      return "unknown native error";
    }
  }

  void Execute() final {
    try {
      run();
    } catch (...) {
      SetError(currentMessage());
    }
  }

  void OnOK() final {
    try {
      Napi::HandleScope scope(Env());
      deferred_.Resolve(result(Env()));
    } catch (const Napi::Error& e) {
      settleWith([&] { return e.Value(); });
    } catch (...) {
      reject(currentMessage());
    }
  }

  void OnError(const Napi::Error& e) final { reject(e.Message()); }

  void reject(const std::string& message) {
    settleWith([&] { return makeTorchError(Env(), message).Value(); });
  }

  // Rejects with make()'s value, first clearing an exception a failed Node-API call left pending; while the
  // environment is torn down these calls fail too, and the Promise is left to go with it.
  template <typename Make>
  void settleWith(Make make) {
    try {
      Napi::HandleScope scope(Env());
      napi_value ignored;
      napi_get_and_clear_last_exception(Env(), &ignored);
      deferred_.Reject(make());
    } catch (...) {
    }
  }

  Napi::Promise::Deferred deferred_;
};

}  // namespace tn
