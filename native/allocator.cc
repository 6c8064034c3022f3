// The CPU allocation guard. Linux overcommits memory: malloc grants a request larger than the memory left, and
// the process is then killed by the OOM killer while the pages are touched (zeros, ones, a copy). Python's
// PyTorch has the same hole; a server cannot afford it. Large requests are checked first against the memory
// the kernel could still give (MemAvailable + SwapFree, and the cgroup's limit when there is one) and refused
// with PyTorch's out-of-memory error, which reaches JavaScript as a TorchError.
#include "common.h"

#include <c10/core/CPUAllocator.h>

#include <cstdio>
#include <cstring>
#include <mutex>

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
    return base_->allocate(n);
  }

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
