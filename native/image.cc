// The fast path of the image pipeline: JPEG decoding with libjpeg(-turbo) at a reduced DCT scale, then an
// antialiased uint8 resize (the separable triangle filter of PIL's bilinear resampling, its support widened by
// the downscale factor) and a crop, written straight into the output layout (HWC uint8, CHW uint8 or CHW float
// in [0, 1]). Runs on libuv's pool; several images per call. Without libjpeg at build time nothing is exported
// and the TypeScript side keeps its sharp pipeline.
#include "common.h"
#include "promise_worker.h"

#ifdef TORCH_NODE_WITH_JPEG

#include <csetjmp>
#include <cstdio>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

#include <jpeglib.h>
#include <jerror.h>

namespace tn {
namespace {

// ---- decoding ----

struct ErrorManager {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

// libjpeg's error_exit must not return (its default calls exit()): jump back to the decoder instead.
void onErrorExit(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

// Warnings are ignored (as PIL does), except a premature end of the data: a truncated file is an error, as
// PIL's "image file is truncated".
void onEmitMessage(j_common_ptr cinfo, int level) {
  if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) onErrorExit(cinfo);
}

struct Decoded {
  int width = 0;   // the size of the whole image at the chosen scale
  int height = 0;
  int x0 = 0;      // the decoded window: columns [x0, x0 + cols), rows [y0, y0 + rows)
  int y0 = 0;
  int cols = 0;
  int rows = 0;
};

// The rows and columns of the scaled image that the resize reads, given the scaled size.
using Window = void (*)(void* ctx, int width, int height, int& x0, int& x1, int& y0, int& y1);

// Decodes `data` with `channels` (1: gray, 3: RGB) at the smallest M/8 scale whose output is at least
// minW x minH, into `pixels` (HWC). Only the window that `window` asks for is decoded (whole iMCU columns;
// rows above it are skipped, rows below it are not read). Returns false and sets `error` on failure. Plain C
// style: nothing with a destructor lives across the setjmp.
bool decodeScaled(const uint8_t* data, size_t size, int channels, int minW, int minH, Window window, void* ctx,
                  std::vector<uint8_t>& pixels, Decoded& out, std::string& error) {
  jpeg_decompress_struct cinfo;
  ErrorManager err;
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = onErrorExit;
  err.pub.emit_message = onEmitMessage;
  err.message[0] = 0;
  if (setjmp(err.jump)) {
    error = err.message;
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, const_cast<unsigned char*>(data), static_cast<unsigned long>(size));
  jpeg_read_header(&cinfo, TRUE);
  if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
    std::snprintf(err.message, sizeof err.message, "CMYK JPEG images are not supported by the fast path");
    error = err.message;
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  cinfo.out_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  cinfo.scale_denom = 8;
  for (unsigned m = 1; m <= 8; m++) {
    cinfo.scale_num = m;
    jpeg_calc_output_dimensions(&cinfo);
    if (static_cast<int>(cinfo.output_width) >= minW && static_cast<int>(cinfo.output_height) >= minH) break;
  }
  const int w = static_cast<int>(cinfo.output_width);
  const int h = static_cast<int>(cinfo.output_height);
  int x0 = 0, x1 = w, y0 = 0, y1 = h;
  window(ctx, w, h, x0, x1, y0, y1);
  jpeg_start_decompress(&cinfo);
  if (cinfo.output_components != channels) {
    std::snprintf(err.message, sizeof err.message, "decoding gave %d channels, expected %d", cinfo.output_components, channels);
    error = err.message;
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
#ifdef LIBJPEG_TURBO_VERSION_NUMBER
  if (x0 > 0 || x1 < w) {
    JDIMENSION xoff = static_cast<JDIMENSION>(x0), cw = static_cast<JDIMENSION>(x1 - x0);
    jpeg_crop_scanline(&cinfo, &xoff, &cw);  // widened to whole iMCU columns
    x0 = static_cast<int>(xoff);
  }
  if (y0 > 0) jpeg_skip_scanlines(&cinfo, static_cast<JDIMENSION>(y0));
#else
  x0 = 0;
  y0 = 0;
#endif
  const int cols = static_cast<int>(cinfo.output_width);
  const size_t stride = static_cast<size_t>(cols) * channels;
  if (pixels.size() < stride * (y1 - y0)) pixels.resize(stride * (y1 - y0));
  uint8_t* base = pixels.data();
#ifndef LIBJPEG_TURBO_VERSION_NUMBER
  // Plain libjpeg: decode from the top (rows above the window are read into the first row and overwritten).
  while (static_cast<int>(cinfo.output_scanline) < y0) {
    JSAMPROW row = base;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
#endif
  while (static_cast<int>(cinfo.output_scanline) < y1) {
    JSAMPROW row = base + stride * (cinfo.output_scanline - y0);
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  // The rows below the window are not needed: stop here (a truncation there goes unnoticed, as it changes
  // nothing of the result).
  jpeg_destroy_decompress(&cinfo);
  out.width = w;
  out.height = h;
  out.x0 = x0;
  out.y0 = y0;
  out.cols = cols;
  out.rows = y1 - y0;
  return true;
}

// ---- resampling (PIL's scheme: per-output-pixel windows of normalized fixed-point weights) ----

constexpr int kPrecisionBits = 32 - 8 - 2;

struct Weights {
  std::vector<int> start;   // first input index of each output
  std::vector<int> count;   // number of taps of each output
  std::vector<int32_t> k;   // taps, `taps` per output
  int taps = 0;
};

// Weights of the triangle filter for outputs [first, first + n) of a resize from inSize to outSize. With
// `pad`, every output gets exactly `taps` taps (zeros around its window, moved inside the input), so that the
// loops over them have one trip count.
void makeWeights(int inSize, int outSize, int first, int n, Weights& w, bool pad) {
  const double scale = static_cast<double>(inSize) / outSize;
  const double filterScale = scale < 1.0 ? 1.0 : scale;
  const double support = 1.0 * filterScale;
  w.taps = static_cast<int>(std::ceil(support)) * 2 + 1;
  w.start.assign(n, 0);
  w.count.assign(n, 0);
  w.k.assign(static_cast<size_t>(n) * w.taps, 0);
  std::vector<double> tmp(w.taps);
  for (int i = 0; i < n; i++) {
    const double center = (first + i + 0.5) * scale;
    int lo = static_cast<int>(center - support + 0.5);
    if (lo < 0) lo = 0;
    int hi = static_cast<int>(center + support + 0.5);
    if (hi > inSize) hi = inSize;
    int cnt = hi - lo;
    if (cnt > w.taps) cnt = w.taps;
    double sum = 0;
    for (int j = 0; j < cnt; j++) {
      double x = (j + lo - center + 0.5) / filterScale;
      if (x < 0) x = -x;
      const double v = x < 1.0 ? 1.0 - x : 0.0;
      tmp[j] = v;
      sum += v;
    }
    int32_t* kk = &w.k[static_cast<size_t>(i) * w.taps];
    for (int j = 0; j < cnt; j++) {
      const double v = sum != 0 ? tmp[j] / sum : 0;
      // PIL rounds half away from zero.
      kk[j] = static_cast<int32_t>(v < 0 ? v * (1 << kPrecisionBits) - 0.5 : v * (1 << kPrecisionBits) + 0.5);
    }
    if (pad && w.taps <= inSize) {
      int lo2 = lo + w.taps > inSize ? inSize - w.taps : lo;
      const int shift = lo - lo2;
      for (int j = cnt - 1; j >= 0; j--) kk[j + shift] = kk[j];
      for (int j = 0; j < shift; j++) kk[j] = 0;
      lo = lo2;
      cnt = w.taps;
    }
    w.start[i] = lo;
    w.count[i] = cnt;
  }
}

inline uint8_t clip8(int32_t acc) {
  const int32_t v = acc >> kPrecisionBits;
  return static_cast<uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
}

// The horizontal pass of one row with a fixed number of taps (T) and channels (C), unrolled.
template <int C, int T>
void horizontalFixed(const uint8_t* __restrict in, uint8_t* __restrict o, int ow, const int32_t* __restrict weights,
                     const int* __restrict start, int x0) {
  for (int x = 0; x < ow; x++) {
    const int32_t* k = weights + static_cast<size_t>(x) * T;
    const uint8_t* p = in + static_cast<size_t>(start[x] - x0) * C;
    int32_t a[C];
    for (int c = 0; c < C; c++) a[c] = 1 << (kPrecisionBits - 1);
    for (int j = 0; j < T; j++) {
      for (int c = 0; c < C; c++) a[c] += p[C * j + c] * k[j];
    }
    for (int c = 0; c < C; c++) o[C * x + c] = clip8(a[c]);
  }
}

struct Job {
  std::vector<uint8_t> bytes;
  std::string name;
  int channels;              // 1 or 3
  int resizeW, resizeH;      // the size the whole image is resized to
  int cropLeft, cropTop;     // the crop of the resized image that is written
  int cropW, cropH;
};

enum Layout { kHWC = 0, kCHW = 1 };

struct Scratch {
  std::vector<uint8_t> pixels;
  std::vector<uint8_t> rows;
  std::vector<int32_t> acc;
  Weights wx, wy;
};

float kByteToUnit[256];

// Decodes, resizes and crops one image into dst (cropH x cropW x channels values in `layout`).
struct WindowContext {
  const Job* job;
  Scratch* s;
};

// Called with the scaled size: makes the resize weights and asks for the rows and columns they read.
void resizeWindow(void* ctx, int width, int height, int& x0, int& x1, int& y0, int& y1) {
  auto* c = static_cast<WindowContext*>(ctx);
  const Job& job = *c->job;
  Scratch& s = *c->s;
  makeWeights(width, job.resizeW, job.cropLeft, job.cropW, s.wx, true);
  makeWeights(height, job.resizeH, job.cropTop, job.cropH, s.wy, false);
  x0 = width;
  x1 = 0;
  for (int x = 0; x < job.cropW; x++) {
    x0 = std::min(x0, s.wx.start[x]);
    x1 = std::max(x1, s.wx.start[x] + s.wx.count[x]);
  }
  y0 = height;
  y1 = 0;
  for (int y = 0; y < job.cropH; y++) {
    y0 = std::min(y0, s.wy.start[y]);
    y1 = std::max(y1, s.wy.start[y] + s.wy.count[y]);
  }
  if (x1 <= x0) {
    x0 = 0;
    x1 = width;
  }
  if (y1 <= y0) {
    y0 = 0;
    y1 = height;
  }
}

// Decodes, resizes and crops one image into dst (cropH x cropW x channels values in `layout`).
bool runJob(const Job& job, Scratch& s, void* dst, bool asFloat, Layout layout, std::string& error) {
  const int C = job.channels;
  Decoded d;
  WindowContext ctx{&job, &s};
  if (!decodeScaled(job.bytes.data(), job.bytes.size(), C, job.resizeW, job.resizeH, resizeWindow, &ctx, s.pixels, d, error)) return false;
  const int ow = job.cropW, oh = job.cropH;
  // The rows the vertical pass reads (all decoded; rows in the decoded window start at d.y0).
  const int rowLo = d.y0, rowHi = d.y0 + d.rows;
  // Horizontal pass over those rows, only for the cropped columns (rounded to uint8, as PIL does).
  const size_t rowStride = static_cast<size_t>(ow) * C;
  s.rows.resize(rowStride * (rowHi - rowLo) + 1);
  const size_t inStride = static_cast<size_t>(d.cols) * C;
  for (int r = rowLo; r < rowHi; r++) {
    const uint8_t* in = s.pixels.data() + inStride * (r - d.y0);
    uint8_t* o = s.rows.data() + rowStride * (r - rowLo);
    const bool padded = s.wx.taps <= d.width;
    if (padded && C == 3 && s.wx.taps == 3) {
      horizontalFixed<3, 3>(in, o, ow, s.wx.k.data(), s.wx.start.data(), d.x0);
      continue;
    }
    if (padded && C == 3 && s.wx.taps == 5) {
      horizontalFixed<3, 5>(in, o, ow, s.wx.k.data(), s.wx.start.data(), d.x0);
      continue;
    }
    if (padded && C == 1 && s.wx.taps == 5) {
      horizontalFixed<1, 5>(in, o, ow, s.wx.k.data(), s.wx.start.data(), d.x0);
      continue;
    }
    for (int x = 0; x < ow; x++) {
      const int32_t* k = &s.wx.k[static_cast<size_t>(x) * s.wx.taps];
      const uint8_t* p = in + static_cast<size_t>(s.wx.start[x] - d.x0) * C;
      const int n = s.wx.count[x];
      if (C == 3) {
        int32_t a0 = 1 << (kPrecisionBits - 1), a1 = a0, a2 = a0;
        for (int j = 0; j < n; j++) {
          a0 += p[3 * j] * k[j];
          a1 += p[3 * j + 1] * k[j];
          a2 += p[3 * j + 2] * k[j];
        }
        o[3 * x] = clip8(a0);
        o[3 * x + 1] = clip8(a1);
        o[3 * x + 2] = clip8(a2);
      } else {
        int32_t a = 1 << (kPrecisionBits - 1);
        for (int j = 0; j < n; j++) a += p[j] * k[j];
        o[x] = clip8(a);
      }
    }
  }
  // Vertical pass (row by row, so that the taps' loop vectorizes), written in the output layout.
  const size_t plane = static_cast<size_t>(ow) * oh;
  uint8_t* d8 = static_cast<uint8_t*>(dst);
  float* df = static_cast<float*>(dst);
  s.acc.resize(rowStride);
  int32_t* __restrict acc = s.acc.data();
  for (int y = 0; y < oh; y++) {
    const int32_t* k = &s.wy.k[static_cast<size_t>(y) * s.wy.taps];
    const int n = s.wy.count[y];
    const uint8_t* base = s.rows.data() + rowStride * (s.wy.start[y] - rowLo);
    for (size_t i = 0; i < rowStride; i++) acc[i] = 1 << (kPrecisionBits - 1);
    for (int j = 0; j < n; j++) {
      const uint8_t* __restrict p = base + rowStride * j;
      const int32_t kj = k[j];
      for (size_t i = 0; i < rowStride; i++) acc[i] += p[i] * kj;
    }
    if (layout == kHWC) {
      uint8_t* o = d8 + static_cast<size_t>(y) * rowStride;
      for (size_t i = 0; i < rowStride; i++) o[i] = clip8(acc[i]);
    } else {
      for (int c = 0; c < C; c++) {
        const size_t o = c * plane + static_cast<size_t>(y) * ow;
        if (asFloat) {
          for (int x = 0; x < ow; x++) df[o + x] = kByteToUnit[clip8(acc[x * C + c])];
        } else {
          for (int x = 0; x < ow; x++) d8[o + x] = clip8(acc[x * C + c]);
        }
      }
    }
  }
  return true;
}

class DecodeWorker : public PromiseWorker {
 public:
  DecodeWorker(Napi::Env env, std::vector<Job>&& jobs, Napi::TypedArray out, bool asFloat, Layout layout)
      : PromiseWorker(env, "torch-node:decodeJpeg"), jobs_(std::move(jobs)),
        asFloat_(asFloat), layout_(layout) {
    outRef_ = Napi::Persistent(static_cast<Napi::Object>(out));
    Napi::ArrayBuffer ab = out.ArrayBuffer();
    base_ = static_cast<uint8_t*>(ab.Data()) + out.ByteOffset();
  }

 private:
  void run() override {
    thread_local Scratch scratch;
    size_t offset = 0;
    const size_t elem = asFloat_ ? sizeof(float) : 1;
    for (const Job& job : jobs_) {
      std::string error;
      if (!runJob(job, scratch, base_ + offset, asFloat_, layout_, error)) {
        throw std::runtime_error("cannot decode JPEG image " + job.name + ": " + error);
      }
      offset += static_cast<size_t>(job.cropW) * job.cropH * job.channels * elem;
    }
    // Do not keep a large decode buffer per pool thread forever.
    if (scratch.pixels.capacity() > (size_t(64) << 20)) std::vector<uint8_t>().swap(scratch.pixels);
  }

  std::vector<Job> jobs_;
  Napi::ObjectReference outRef_;
  uint8_t* base_ = nullptr;
  bool asFloat_;
  Layout layout_;
};

int32_t intAt(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (!v.IsNumber()) typeError(std::string("decodeJpegResized(): job.") + key + " must be a number");
  return v.As<Napi::Number>().Int32Value();
}

// decodeJpegResized(jobs, out, layout): jobs = [{data, name, channels, resizeW, resizeH, cropLeft, cropTop,
// cropW, cropH}]; out = Uint8Array or Float32Array receiving the images one after another; layout = 'hwc' or
// 'chw'. Returns a Promise that resolves when `out` is filled (it must not be touched before).
Napi::Value DecodeJpegResized(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsArray() || !info[1].IsTypedArray() || !info[2].IsString()) {
    typeError("decodeJpegResized(jobs, out, layout): expected an array, a typed array and a layout");
  }
  Napi::Array arr = info[0].As<Napi::Array>();
  Napi::TypedArray out = info[1].As<Napi::TypedArray>();
  const std::string layoutName = info[2].As<Napi::String>().Utf8Value();
  if (layoutName != "hwc" && layoutName != "chw") rangeError("decodeJpegResized(): layout must be 'hwc' or 'chw'");
  const Layout layout = layoutName == "hwc" ? kHWC : kCHW;
  const bool asFloat = out.TypedArrayType() == napi_float32_array;
  if (!asFloat && out.TypedArrayType() != napi_uint8_array) typeError("decodeJpegResized(): out must be a Uint8Array or a Float32Array");
  if (asFloat && layout == kHWC) rangeError("decodeJpegResized(): float output is written in 'chw' layout only");
  std::vector<Job> jobs(arr.Length());
  size_t need = 0;
  for (uint32_t i = 0; i < arr.Length(); i++) {
    Napi::Value v = arr.Get(i);
    if (!v.IsObject()) typeError("decodeJpegResized(): each job must be an object");
    Napi::Object o = v.As<Napi::Object>();
    Napi::Value data = o.Get("data");
    if (!data.IsTypedArray() || data.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) typeError("decodeJpegResized(): job.data must be a Uint8Array");
    Napi::Uint8Array bytes = data.As<Napi::Uint8Array>();
    Job& job = jobs[i];
    job.bytes.assign(bytes.Data(), bytes.Data() + bytes.ElementLength());
    Napi::Value name = o.Get("name");
    job.name = name.IsString() ? name.As<Napi::String>().Utf8Value() : std::string("(from a buffer)");
    job.channels = intAt(o, "channels");
    job.resizeW = intAt(o, "resizeW");
    job.resizeH = intAt(o, "resizeH");
    job.cropLeft = intAt(o, "cropLeft");
    job.cropTop = intAt(o, "cropTop");
    job.cropW = intAt(o, "cropW");
    job.cropH = intAt(o, "cropH");
    if (job.channels != 1 && job.channels != 3) rangeError("decodeJpegResized(): channels must be 1 or 3");
    if (job.resizeW < 1 || job.resizeH < 1 || job.cropW < 1 || job.cropH < 1 || job.cropLeft < 0 || job.cropTop < 0 ||
        job.cropLeft + job.cropW > job.resizeW || job.cropTop + job.cropH > job.resizeH) {
      rangeError("decodeJpegResized(): the crop must lie inside the resized image");
    }
    need += static_cast<size_t>(job.cropW) * job.cropH * job.channels;
  }
  if (need > out.ElementLength()) rangeError("decodeJpegResized(): out is too small for the images");
  auto* worker = new DecodeWorker(env, std::move(jobs), out, asFloat, layout);
  Napi::Promise p = worker->promise();
  worker->Queue();
  return p;
}

}  // namespace

void initImage(Napi::Env env, Napi::Object exports) {
  for (int i = 0; i < 256; i++) kByteToUnit[i] = static_cast<float>(i) / 255.0f;
  exportFn<DecodeJpegResized>(env, exports, "decodeJpegResized");
}

}  // namespace tn

#else  // no libjpeg: the TypeScript side uses sharp

namespace tn {
void initImage(Napi::Env env, Napi::Object exports) {}
}  // namespace tn

#endif
