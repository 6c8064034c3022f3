// The CPU allocator LibTorch uses for tensor data, wrapping its default one for two things:
// - the allocation guard. Linux overcommits memory: malloc grants a request larger than the memory left, and
//   the process is then killed by the OOM killer while the pages are touched (zeros, ones, a copy). Python's
//   PyTorch has the same hole; a server cannot afford it. Large requests are checked first against the memory
//   the kernel could still give (MemAvailable + SwapFree, and the cgroup's limit when there is one) and refused
//   with PyTorch's out-of-memory error, which reaches JavaScript as a TorchError;
// - a per-thread cache of small blocks. LibTorch aligns every block to 64 bytes with posix_memalign, which
//   glibc serves by splitting a larger chunk: for a 4-element tensor that costs more than the op itself, and
//   more again when the GC frees tensors in batches. Blocks of up to 1 KiB are kept for reuse instead.
#include "common.h"

#include <c10/core/CPUAllocator.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

namespace tn {
namespace {

// Below this, a request cannot kill the process by itself, and reading /proc would cost more than the memory.
constexpr size_t kCheckFrom = size_t(64) << 20;

// The value (in bytes, after multiplying by `unit`) of the line of `path` that starts with `key`, or -1.
int64_t readField(const char* path, const char* key, int64_t unit) {
  FILE* f = std::fopen(path, "r");
  if (!f) return -1;
  char line[256];
  int64_t out = -1;
  size_t klen = std::strlen(key);
  while (std::fgets(line, sizeof line, f)) {
    if (std::strncmp(line, key, klen) == 0) {
      long long v = 0;
      if (std::sscanf(line + klen, " %lld", &v) == 1) out = static_cast<int64_t>(v) * unit;
      break;
    }
  }
  std::fclose(f);
  return out;
}

// The first number in `path` ("max" or a missing file: -1).
int64_t readNumber(const char* path) {
  FILE* f = std::fopen(path, "r");
  if (!f) return -1;
  long long v = -1;
  if (std::fscanf(f, "%lld", &v) != 1) v = -1;
  std::fclose(f);
  return static_cast<int64_t>(v);
}

// Bytes this process could still allocate and touch, or -1 when unknown (not Linux).
int64_t availableBytes() {
  int64_t avail = readField("/proc/meminfo", "MemAvailable:", 1024);
  if (avail < 0) return -1;
  int64_t swap = readField("/proc/meminfo", "SwapFree:", 1024);
  if (swap > 0) avail += swap;
  // A container's memory cgroup kills at its own limit: v2 (memory.max, anonymous memory in memory.stat), v1.
  int64_t limit = readNumber("/sys/fs/cgroup/memory.max");
  int64_t used = limit > 0 ? readField("/sys/fs/cgroup/memory.stat", "anon", 1) : -1;
  if (limit <= 0) {
    limit = readNumber("/sys/fs/cgroup/memory/memory.limit_in_bytes");
    used = limit > 0 ? readField("/sys/fs/cgroup/memory/memory.stat", "total_rss", 1) : -1;
  }
  if (limit > 0 && used >= 0 && limit - used < avail) avail = std::max<int64_t>(0, limit - used);
  return avail;
}

// Size classes of 64, 128, ..., 1024 bytes (64 is LibTorch's alignment), at most kCachedBytes of each per thread:
// enough for the tensors one GC frees at once in a loop of small ops.
constexpr size_t kSmallClasses = 5;
constexpr size_t kSmallMax = size_t(64) << (kSmallClasses - 1);
constexpr size_t kCachedBytes = size_t(2) << 20;

size_t sizeClass(size_t n) {
  size_t c = 0;
  while ((size_t(64) << c) < n) c++;
  return c;
}

// The blocks a thread freed, reused by its next allocations of the same class. A block freed on another thread
// joins that thread's cache (any thread may free() it later).
struct SmallBlockCache {
  std::array<std::vector<void*>, kSmallClasses> free;
  ~SmallBlockCache();
};
// Trivially destructible, so that it can still be read while (and after) the cache is destroyed at thread exit:
// tensors freed then (static destructors) go straight to free().
thread_local bool smallCacheGone = false;
thread_local SmallBlockCache smallCache;

SmallBlockCache::~SmallBlockCache() {
  smallCacheGone = true;
  for (auto& list : free) {
    for (void* p : list) std::free(p);
  }
}

// One deleter per size class, so that the DataPtr's context stays the block itself (as raw_allocate() expects).
template <size_t C>
void deleteSmall(void* block) {
  if (!smallCacheGone && smallCache.free[C].size() < (kCachedBytes >> (6 + C))) {
    smallCache.free[C].push_back(block);
  } else {
    std::free(block);
  }
}
constexpr std::array<c10::DeleterFnPtr, kSmallClasses> kSmallDeleters = {
    &deleteSmall<0>, &deleteSmall<1>, &deleteSmall<2>, &deleteSmall<3>, &deleteSmall<4>};

c10::DataPtr allocateSmall(size_t n) {
  size_t c = sizeClass(n);
  void* block = nullptr;
  if (!smallCacheGone && !smallCache.free[c].empty()) {
    block = smallCache.free[c].back();
    smallCache.free[c].pop_back();
  } else {
    block = std::aligned_alloc(64, size_t(64) << c);
    if (!block) throw std::bad_alloc();
  }
  return {block, block, kSmallDeleters[c], c10::Device(c10::DeviceType::CPU)};
}

class GuardedCPUAllocator final : public c10::Allocator {
 public:
  explicit GuardedCPUAllocator(c10::Allocator* base) : base_(base) {}

  c10::DataPtr allocate(size_t n) const override {
    if (n >= kCheckFrom) {
      int64_t avail = availableBytes();
      TORCH_CHECK(avail < 0 || n <= static_cast<uint64_t>(avail),
                  "DefaultCPUAllocator: not enough memory: you tried to allocate ", n, " bytes, but only ", avail,
                  " bytes are available (CPU out of memory)");
    }
    if (n > 0 && n <= kSmallMax) return allocateSmall(n);
    return base_->allocate(n);
  }

  // raw_deallocate() frees any block with the default allocator's deleter (free(), which small blocks take too:
  // they are then not cached).
  c10::DeleterFnPtr raw_deleter() const override { return base_->raw_deleter(); }

 private:
  c10::Allocator* base_;
};

}  // namespace

void installAllocatorGuard() {
  // Process-wide and never destroyed: tensors may be allocated by any addon instance (worker_threads) or by
  // LibTorch's own threads until the process is gone, after static destructors have run.
  static std::once_flag once;
  std::call_once(once, [] {
    auto* guard = new GuardedCPUAllocator(c10::GetAllocator(c10::DeviceType::CPU));
    c10::SetAllocator(c10::DeviceType::CPU, guard, /*priority=*/1);
  });
}

}  // namespace tn
