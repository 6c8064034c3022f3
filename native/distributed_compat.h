// c10d across LibTorch versions. In 1.13 a backend (ProcessGroupGloo, ProcessGroupNCCL) is itself the
// ProcessGroup; from 2.0 a backend is a c10d::Backend that a ProcessGroup dispatches to per device type.
#pragma once
#include "compat.h"

#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO
#endif
#ifdef TORCH_NODE_WITH_CUDA
#ifndef USE_C10D_NCCL
#define USE_C10D_NCCL
#endif
#endif

#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/csrc/distributed/c10d/comm.hpp>
#include <torch/csrc/distributed/c10d/reducer.hpp>
#ifdef TORCH_NODE_WITH_CUDA
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

namespace tn::compat {

#if TORCH_NODE_AT_LEAST(2, 0)
using DistBackend = c10d::Backend;
constexpr auto kGlooBackend = c10d::ProcessGroup::BackendType::GLOO;
constexpr auto kNcclBackend = c10d::ProcessGroup::BackendType::NCCL;
#else
using DistBackend = c10d::ProcessGroup;
constexpr int kGlooBackend = 1;
constexpr int kNcclBackend = 2;
#endif

// The ProcessGroup the collectives and the Reducer are called on, for one backend.
template <class BackendType>
c10::intrusive_ptr<c10d::ProcessGroup> asProcessGroup(const c10::intrusive_ptr<c10d::Store>& store, int rank, int size,
                                                      c10::intrusive_ptr<DistBackend> backend, BackendType type,
                                                      std::chrono::milliseconds timeout) {
#if TORCH_NODE_AT_LEAST(2, 6)
  // ProcessGroup::Options is gone; the default backend is set explicitly.
  auto pg = c10::make_intrusive<c10d::ProcessGroup>(store, rank, size);
  pg->setDefaultBackend(type);
  pg->setBackend(type == kNcclBackend ? c10::DeviceType::CUDA : c10::DeviceType::CPU, type, backend);
  return pg;
#elif TORCH_NODE_AT_LEAST(2, 0)
  const char* name = type == kNcclBackend ? "nccl" : "gloo";
  auto pg = c10::make_intrusive<c10d::ProcessGroup>(store, rank, size,
                                                    c10::make_intrusive<c10d::ProcessGroup::Options>(name, timeout));
  pg->setBackend(type == kNcclBackend ? c10::DeviceType::CUDA : c10::DeviceType::CPU, type, backend);
  return pg;
#else
  return backend;
#endif
}

// DDP's Reducer over `group`; newer releases dropped the per-bucket limits argument and added flags.
inline std::unique_ptr<c10d::Reducer> newReducer(std::vector<at::Tensor> params, std::vector<std::vector<size_t>> buckets,
                                                 std::vector<size_t> limits, c10::intrusive_ptr<c10d::ProcessGroup> group,
                                                 std::vector<bool> sparse, int64_t cap, bool findUnused,
                                                 std::unordered_map<size_t, std::string> names) {
  // As DDP: rebuilt buckets start with a small one unless the user chose the bucket size.
  int64_t firstCap = cap == c10d::kDefaultBucketBytesCap ? c10d::kDefaultFirstBucketBytes : cap;
#if TORCH_NODE_AT_LEAST(2, 7)
  (void)limits;
  return std::make_unique<c10d::Reducer>(std::move(params), std::move(buckets), std::move(group), std::move(sparse), cap,
                                         findUnused, /*gradient_as_bucket_view=*/false, std::move(names), firstCap,
                                         /*skip_all_reduce_unused_params=*/false, /*use_python_reducer=*/false);
#else
  return std::make_unique<c10d::Reducer>(std::move(params), std::move(buckets), std::move(limits), std::move(group),
                                         std::move(sparse), cap, findUnused, /*gradient_as_bucket_view=*/false,
                                         std::move(names), firstCap);
#endif
}

#ifdef TORCH_NODE_WITH_CUDA
inline c10::intrusive_ptr<c10d::ProcessGroup> newNccl(const c10::intrusive_ptr<c10d::Store>& store, int rank, int size,
                                                      std::chrono::milliseconds timeout) {
  auto options = c10d::ProcessGroupNCCL::Options::create();
  options->timeout = timeout;
  auto backend = c10::make_intrusive<c10d::ProcessGroupNCCL>(store, rank, size, options);
  return asProcessGroup(store, rank, size, backend, kNcclBackend, timeout);
}
#endif

}  // namespace tn::compat
