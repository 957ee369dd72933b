// N-API addon over oneDNN (libdnnl): 2-D convolutions in NHWC with HWIO filters, forward (with bias and a
// fused activation), input gradient and filter gradient; training-mode batch norm and its gradient; max
// pooling's gradient; per-channel PReLU's gradient; batched matrix products. Everything is computed in place on the caller's Float32Arrays.
// Each problem's primitives are created once and cached by their geometry; filters are reordered per call into
// the blocked layout oneDNN picks for the problem (a filter is small next to the activations).
#include <node_api.h>
#include <omp.h>
#include <dnnl.hpp>
#include <cstring>
#include <algorithm>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

namespace {

// Geometry layout shared with src/binding.ts: N, H, W, Cin, KH, KW, Cout, OH, OW, strideH, strideW,
// dilationH, dilationW, padTop, padLeft, padBottom, padRight.
constexpr size_t kGeometryLength = 17;

struct Geometry {
  int64_t n, h, w, cin, kh, kw, cout, oh, ow, sh, sw, dh, dw, pt, pl, pb, pr;
  memory::dims src() const { return {n, cin, h, w}; }
  memory::dims weights() const { return {cout, cin, kh, kw}; }
  memory::dims dst() const { return {n, cout, oh, ow}; }
  memory::dims strides() const { return {sh, sw}; }
  // oneDNN counts dilation from 0 (a dense kernel has dilation 0); tfjs from 1.
  memory::dims dilates() const { return {dh - 1, dw - 1}; }
  memory::dims padL() const { return {pt, pl}; }
  memory::dims padR() const { return {pb, pr}; }
  size_t srcSize() const { return n * h * w * cin; }
  size_t weightsSize() const { return kh * kw * cin * cout; }
  size_t dstSize() const { return n * oh * ow * cout; }
};

engine &cpuEngine() {
  static engine eng(engine::kind::cpu, 0);
  return eng;
}

stream &cpuStream() {
  static stream s(cpuEngine());
  return s;
}

memory::desc nhwc(const memory::dims &d) { return memory::desc(d, dt::f32, tag::nhwc); }
memory::desc anyLayout(const memory::dims &d) { return memory::desc(d, dt::f32, tag::any); }
memory::desc hwio(const memory::dims &d) { return memory::desc(d, dt::f32, tag::hwio); }

convolution_forward::desc forwardDesc(const Geometry &g, bool bias) {
  auto src = nhwc(g.src()), dst = nhwc(g.dst()), wei = anyLayout(g.weights());
  if (bias) {
    return convolution_forward::desc(prop_kind::forward_training, algorithm::convolution_direct, src, wei,
                                     memory::desc({g.cout}, dt::f32, tag::x), dst, g.strides(), g.dilates(),
                                     g.padL(), g.padR());
  }
  return convolution_forward::desc(prop_kind::forward_training, algorithm::convolution_direct, src, wei, dst,
                                   g.strides(), g.dilates(), g.padL(), g.padR());
}

// A cached problem: its primitive, the blocked filter buffer, and the filter reorder between layouts.
struct Problem {
  primitive prim;
  memory blocked;
  reorder weightReorder;
  memory::desc weightsUser;
};

std::map<std::string, std::unique_ptr<Problem>> cache;

// Problems kept per cache; a program that keeps meeting new sizes starts each cache again past this.
constexpr size_t kMaxCached = 4096;

// The cache entry for `key`, emptying the cache first when it is full and `key` is new.
template <class Cache>
typename Cache::mapped_type &slotIn(Cache &c, const std::string &key) {
  if (c.size() >= kMaxCached && c.find(key) == c.end()) c.clear();
  return c[key];
}

// Primitive runs so far (info().calls), for callers to see which kernels ran here.
double calls = 0;

std::string keyOf(const char *kind, const Geometry &g, int extra1, float extra2) {
  std::string key(kind);
  const int64_t *v = &g.n;
  for (size_t i = 0; i < kGeometryLength; i++) key += "," + std::to_string(v[i]);
  return key + "|" + std::to_string(extra1) + "|" + std::to_string(extra2);
}

// Activations, numbered as in src/binding.ts.
enum Activation { kLinear = 0, kRelu, kRelu6, kElu, kSigmoid, kLeakyRelu };

primitive_attr activationAttr(int activation, float alpha) {
  primitive_attr attr;
  if (activation == kLinear) return attr;
  post_ops ops;
  switch (activation) {
    case kRelu: ops.append_eltwise(1.f, algorithm::eltwise_relu, 0.f, 0.f); break;
    case kRelu6: ops.append_eltwise(1.f, algorithm::eltwise_clip, 0.f, 6.f); break;
    case kElu: ops.append_eltwise(1.f, algorithm::eltwise_elu, 1.f, 0.f); break;
    case kSigmoid: ops.append_eltwise(1.f, algorithm::eltwise_logistic, 0.f, 0.f); break;
    case kLeakyRelu: ops.append_eltwise(1.f, algorithm::eltwise_relu, alpha, 0.f); break;
    default: throw std::runtime_error("unknown activation " + std::to_string(activation));
  }
  attr.set_post_ops(ops);
  return attr;
}

Problem &forwardProblem(const Geometry &g, bool bias, int activation, float alpha) {
  auto &slot = slotIn(cache, keyOf("fwd", g, activation + (bias ? 16 : 0), alpha));
  if (!slot) {
    auto pd = convolution_forward::primitive_desc(forwardDesc(g, bias), activationAttr(activation, alpha), cpuEngine());
    memory blocked(pd.weights_desc(), cpuEngine());
    auto user = hwio(g.weights());
    slot.reset(new Problem{convolution_forward(pd), blocked, reorder(memory(user, cpuEngine(), nullptr), blocked), user});
  }
  return *slot;
}

Problem &backwardDataProblem(const Geometry &g) {
  auto &slot = slotIn(cache, keyOf("bwd_data", g, 0, 0));
  if (!slot) {
    auto hint = convolution_forward::primitive_desc(forwardDesc(g, false), cpuEngine());
    auto d = convolution_backward_data::desc(algorithm::convolution_direct, nhwc(g.src()), anyLayout(g.weights()),
                                             nhwc(g.dst()), g.strides(), g.dilates(), g.padL(), g.padR());
    auto pd = convolution_backward_data::primitive_desc(d, cpuEngine(), hint);
    memory blocked(pd.weights_desc(), cpuEngine());
    auto user = hwio(g.weights());
    slot.reset(new Problem{convolution_backward_data(pd), blocked, reorder(memory(user, cpuEngine(), nullptr), blocked), user});
  }
  return *slot;
}

Problem &backwardWeightsProblem(const Geometry &g) {
  auto &slot = slotIn(cache, keyOf("bwd_weights", g, 0, 0));
  if (!slot) {
    auto hint = convolution_forward::primitive_desc(forwardDesc(g, false), cpuEngine());
    auto d = convolution_backward_weights::desc(algorithm::convolution_direct, nhwc(g.src()), anyLayout(g.weights()),
                                                nhwc(g.dst()), g.strides(), g.dilates(), g.padL(), g.padR());
    auto pd = convolution_backward_weights::primitive_desc(d, cpuEngine(), hint);
    memory blocked(pd.diff_weights_desc(), cpuEngine());
    auto user = hwio(g.weights());
    slot.reset(new Problem{convolution_backward_weights(pd), blocked, reorder(blocked, memory(user, cpuEngine(), nullptr)), user});
  }
  return *slot;
}

// Batch norm over the last axis of a [rows, channels] array (any NHWC tensor flattened), training mode: batch
// statistics, scale and shift. Pooling: max pooling's input gradient, from a forward pass that records where
// each window's maximum was (oneDNN's workspace), then the backward pass that routes dy there.
struct Plain {
  primitive forward;
  primitive backward;
  memory scratch;     // pooling: the forward output nobody reads
  memory workspace;   // pooling: the argmax positions
  std::vector<memory::desc> descs;  // matmul: its a, b and c as oneDNN reads them
};

std::map<std::string, std::unique_ptr<Plain>> plainCache;

// As a 4-D channels-last image of one row of pixels, [1, C, rows, 1]: oneDNN runs its vectorised nspc kernels on
// that (7× faster forward than with the rows as the batch), its reference kernel on the 2-D nc form.
memory::desc rowsByChannels(int64_t rows, int64_t channels) { return memory::desc({1, channels, rows, 1}, dt::f32, tag::nhwc); }
memory::desc channelVector(int64_t channels) { return memory::desc({channels}, dt::f32, tag::x); }
// Per-channel PReLU slopes, broadcast against rowsByChannels' [1, C, rows, 1].
memory::desc slopeVector(int64_t channels) { return memory::desc({1, channels, 1, 1}, dt::f32, tag::nhwc); }

Plain &batchNormProblem(int64_t rows, int64_t channels, float epsilon) {
  auto &slot = slotIn(plainCache, "bn," + std::to_string(rows) + "," + std::to_string(channels) + "," + std::to_string(epsilon));
  if (!slot) {
    auto data = rowsByChannels(rows, channels);
    auto flags = normalization_flags::use_scale | normalization_flags::use_shift;
    auto fpd = batch_normalization_forward::primitive_desc(
        batch_normalization_forward::desc(prop_kind::forward_training, data, epsilon, flags), cpuEngine());
    auto bpd = batch_normalization_backward::primitive_desc(
        batch_normalization_backward::desc(prop_kind::backward, data, data, epsilon, flags), cpuEngine(), fpd);
    slot.reset(new Plain{batch_normalization_forward(fpd), batch_normalization_backward(bpd), memory(), memory()});
  }
  return *slot;
}

// PReLU with one slope per channel: y = x for x > 0, alpha · x otherwise.
Plain &preluProblem(int64_t rows, int64_t channels) {
  auto &slot = slotIn(plainCache, "prelu," + std::to_string(rows) + "," + std::to_string(channels));
  if (!slot) {
    auto data = rowsByChannels(rows, channels), slopes = slopeVector(channels);
    auto fpd = prelu_forward::primitive_desc(prelu_forward::desc(prop_kind::forward_training, data, slopes), cpuEngine());
    auto bpd = prelu_backward::primitive_desc(prelu_backward::desc(data, slopes, data, slopes), cpuEngine(), fpd);
    slot.reset(new Plain{prelu_forward(fpd), prelu_backward(bpd), memory(), memory()});
  }
  return *slot;
}

// Batched matrix product [B, M, K] × [B, K, N] → [B, M, N] (a batch of 1 on either side broadcasts); a
// transposed operand is read through its strides (it is stored [B, K, M] or [B, N, K]).
Plain &matMulProblem(int64_t batchA, int64_t batchB, int64_t m, int64_t k, int64_t n, bool transposeA, bool transposeB) {
  std::string key = "matmul," + std::to_string(batchA) + "," + std::to_string(batchB) + "," + std::to_string(m) + "," +
                    std::to_string(k) + "," + std::to_string(n) + "," + std::to_string(transposeA) + std::to_string(transposeB);
  auto &slot = slotIn(plainCache, key);
  if (!slot) {
    auto a = memory::desc({batchA, m, k}, dt::f32, transposeA ? tag::acb : tag::abc);
    auto b = memory::desc({batchB, k, n}, dt::f32, transposeB ? tag::acb : tag::abc);
    auto c = memory::desc({std::max(batchA, batchB), m, n}, dt::f32, tag::abc);
    auto pd = matmul::primitive_desc(matmul::desc(a, b, c), cpuEngine());
    slot.reset(new Plain{matmul(pd), primitive(), memory(), memory(), {pd.src_desc(), pd.weights_desc(), pd.dst_desc()}});
  }
  return *slot;
}

Plain &maxPoolProblem(const Geometry &g) {
  auto &slot = slotIn(plainCache, keyOf("maxpool", g, 0, 0));
  if (!slot) {
    memory::dims kernel{g.kh, g.kw};
    auto src = nhwc({g.n, g.cin, g.h, g.w}), dst = nhwc({g.n, g.cin, g.oh, g.ow});
    auto fpd = pooling_forward::primitive_desc(
        pooling_forward::desc(prop_kind::forward_training, algorithm::pooling_max, src, dst, g.strides(), kernel, g.padL(), g.padR()),
        cpuEngine());
    auto bpd = pooling_backward::primitive_desc(
        pooling_backward::desc(algorithm::pooling_max, src, dst, g.strides(), kernel, g.padL(), g.padR()), cpuEngine(), fpd);
    slot.reset(new Plain{pooling_forward(fpd), pooling_backward(bpd), memory(fpd.dst_desc(), cpuEngine()),
                         memory(fpd.workspace_desc(), cpuEngine())});
  }
  return *slot;
}

// ---- N-API plumbing ----

struct Floats {
  float *data = nullptr;
  size_t length = 0;
};

void throwError(napi_env env, const std::string &message) { napi_throw_error(env, nullptr, message.c_str()); }

bool readFloats(napi_env env, napi_value value, const char *name, size_t expected, Floats &out) {
  bool isTyped = false;
  napi_is_typedarray(env, value, &isTyped);
  if (!isTyped) return throwError(env, std::string(name) + ": expected a Float32Array"), false;
  napi_typedarray_type type;
  void *data = nullptr;
  napi_get_typedarray_info(env, value, &type, &out.length, &data, nullptr, nullptr);
  if (type != napi_float32_array) return throwError(env, std::string(name) + ": expected a Float32Array"), false;
  if (out.length != expected) {
    return throwError(env, std::string(name) + ": expected " + std::to_string(expected) + " values, got " +
                               std::to_string(out.length)), false;
  }
  out.data = static_cast<float *>(data);
  return true;
}

bool readGeometry(napi_env env, napi_value value, Geometry &g) {
  bool isTyped = false;
  napi_is_typedarray(env, value, &isTyped);
  napi_typedarray_type type;
  size_t length = 0;
  void *data = nullptr;
  if (isTyped) napi_get_typedarray_info(env, value, &type, &length, &data, nullptr, nullptr);
  if (!isTyped || type != napi_int32_array || length != kGeometryLength) {
    return throwError(env, "geometry: expected an Int32Array of " + std::to_string(kGeometryLength) + " values"), false;
  }
  const int32_t *v = static_cast<const int32_t *>(data);
  int64_t *dst = &g.n;
  for (size_t i = 0; i < kGeometryLength; i++) dst[i] = v[i];
  for (size_t i = 0; i < 13; i++) {
    if (dst[i] < 1) return throwError(env, "geometry: sizes, strides and dilations must be positive"), false;
  }
  return true;
}

template <size_t N>
bool readArgs(napi_env env, napi_callback_info info, napi_value (&argv)[N]) {
  size_t argc = N;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != N) return throwError(env, "expected " + std::to_string(N) + " arguments"), false;
  return true;
}

template <class F>
napi_value guarded(napi_env env, F body) {
  try {
    body();
    calls++;
  } catch (const dnnl::error &e) {
    throwError(env, std::string("oneDNN: ") + e.what());
  } catch (const std::exception &e) {
    throwError(env, std::string("oneDNN addon: ") + e.what());
  }
  return nullptr;
}

// convForward(geometry, x, filter, bias | null, y, activation, alpha)
napi_value ConvForward(napi_env env, napi_callback_info info) {
  napi_value argv[7];
  Geometry g;
  if (!readArgs(env, info, argv) || !readGeometry(env, argv[0], g)) return nullptr;
  Floats x, w, b, y;
  napi_valuetype biasType;
  napi_typeof(env, argv[3], &biasType);
  bool bias = biasType != napi_null && biasType != napi_undefined;
  if (!readFloats(env, argv[1], "x", g.srcSize(), x) || !readFloats(env, argv[2], "filter", g.weightsSize(), w) ||
      (bias && !readFloats(env, argv[3], "bias", g.cout, b)) || !readFloats(env, argv[4], "y", g.dstSize(), y)) {
    return nullptr;
  }
  int32_t activation = 0;
  double alpha = 0;
  napi_get_value_int32(env, argv[5], &activation);
  napi_get_value_double(env, argv[6], &alpha);
  return guarded(env, [&] {
    Problem &p = forwardProblem(g, bias, activation, static_cast<float>(alpha));
    auto &eng = cpuEngine();
    auto &s = cpuStream();
    memory user(p.weightsUser, eng, w.data);
    p.weightReorder.execute(s, user, p.blocked);
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, memory(nhwc(g.src()), eng, x.data)},
                                         {DNNL_ARG_WEIGHTS, p.blocked},
                                         {DNNL_ARG_DST, memory(nhwc(g.dst()), eng, y.data)}};
    if (bias) args.emplace(DNNL_ARG_BIAS, memory(memory::desc({g.cout}, dt::f32, tag::x), eng, b.data));
    p.prim.execute(s, args);
    s.wait();
  });
}

// convBackwardData(geometry, dy, filter, dx)
napi_value ConvBackwardData(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  Geometry g;
  if (!readArgs(env, info, argv) || !readGeometry(env, argv[0], g)) return nullptr;
  Floats dy, w, dx;
  if (!readFloats(env, argv[1], "dy", g.dstSize(), dy) || !readFloats(env, argv[2], "filter", g.weightsSize(), w) ||
      !readFloats(env, argv[3], "dx", g.srcSize(), dx)) {
    return nullptr;
  }
  return guarded(env, [&] {
    Problem &p = backwardDataProblem(g);
    auto &eng = cpuEngine();
    auto &s = cpuStream();
    memory user(p.weightsUser, eng, w.data);
    p.weightReorder.execute(s, user, p.blocked);
    p.prim.execute(s, {{DNNL_ARG_DIFF_DST, memory(nhwc(g.dst()), eng, dy.data)},
                       {DNNL_ARG_WEIGHTS, p.blocked},
                       {DNNL_ARG_DIFF_SRC, memory(nhwc(g.src()), eng, dx.data)}});
    s.wait();
  });
}

// convBackwardFilter(geometry, x, dy, dw)
napi_value ConvBackwardFilter(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  Geometry g;
  if (!readArgs(env, info, argv) || !readGeometry(env, argv[0], g)) return nullptr;
  Floats x, dy, dw;
  if (!readFloats(env, argv[1], "x", g.srcSize(), x) || !readFloats(env, argv[2], "dy", g.dstSize(), dy) ||
      !readFloats(env, argv[3], "dw", g.weightsSize(), dw)) {
    return nullptr;
  }
  return guarded(env, [&] {
    Problem &p = backwardWeightsProblem(g);
    auto &eng = cpuEngine();
    auto &s = cpuStream();
    p.prim.execute(s, {{DNNL_ARG_SRC, memory(nhwc(g.src()), eng, x.data)},
                       {DNNL_ARG_DIFF_DST, memory(nhwc(g.dst()), eng, dy.data)},
                       {DNNL_ARG_DIFF_WEIGHTS, p.blocked}});
    memory user(p.weightsUser, eng, dw.data);
    p.weightReorder.execute(s, p.blocked, user);
    s.wait();
  });
}

bool readDims(napi_env env, napi_value rowsValue, napi_value channelsValue, int64_t &rows, int64_t &channels) {
  int32_t r = 0, c = 0;
  napi_get_value_int32(env, rowsValue, &r);
  napi_get_value_int32(env, channelsValue, &c);
  if (r < 1 || c < 1) return throwError(env, "rows and channels must be positive integers"), false;
  rows = r;
  channels = c;
  return true;
}

// batchNormForward(rows, channels, epsilon, x, gamma, beta, y, mean, variance): batch statistics (variance
// divided by rows) and y = gamma · (x − mean) / sqrt(variance + epsilon) + beta.
napi_value BatchNormForward(napi_env env, napi_callback_info info) {
  napi_value argv[9];
  int64_t rows, channels;
  if (!readArgs(env, info, argv) || !readDims(env, argv[0], argv[1], rows, channels)) return nullptr;
  double epsilon = 0;
  napi_get_value_double(env, argv[2], &epsilon);
  Floats x, gamma, beta, y, mean, variance;
  size_t size = rows * channels;
  if (!readFloats(env, argv[3], "x", size, x) || !readFloats(env, argv[4], "gamma", channels, gamma) ||
      !readFloats(env, argv[5], "beta", channels, beta) || !readFloats(env, argv[6], "y", size, y) ||
      !readFloats(env, argv[7], "mean", channels, mean) || !readFloats(env, argv[8], "variance", channels, variance)) {
    return nullptr;
  }
  return guarded(env, [&] {
    Plain &p = batchNormProblem(rows, channels, static_cast<float>(epsilon));
    auto &eng = cpuEngine();
    auto data = rowsByChannels(rows, channels), vec = channelVector(channels);
    p.forward.execute(cpuStream(), {{DNNL_ARG_SRC, memory(data, eng, x.data)},
                                    {DNNL_ARG_SCALE, memory(vec, eng, gamma.data)},
                                    {DNNL_ARG_SHIFT, memory(vec, eng, beta.data)},
                                    {DNNL_ARG_DST, memory(data, eng, y.data)},
                                    {DNNL_ARG_MEAN, memory(vec, eng, mean.data)},
                                    {DNNL_ARG_VARIANCE, memory(vec, eng, variance.data)}});
    cpuStream().wait();
  });
}

// batchNormBackward(rows, channels, epsilon, dy, x, gamma, mean, variance, dx, dgamma, dbeta): the gradients
// of batchNormForward through y only (the batch statistics' own gradients are taken as zero).
napi_value BatchNormBackward(napi_env env, napi_callback_info info) {
  napi_value argv[11];
  int64_t rows, channels;
  if (!readArgs(env, info, argv) || !readDims(env, argv[0], argv[1], rows, channels)) return nullptr;
  double epsilon = 0;
  napi_get_value_double(env, argv[2], &epsilon);
  Floats dy, x, gamma, mean, variance, dx, dgamma, dbeta;
  size_t size = rows * channels;
  if (!readFloats(env, argv[3], "dy", size, dy) || !readFloats(env, argv[4], "x", size, x) ||
      !readFloats(env, argv[5], "gamma", channels, gamma) || !readFloats(env, argv[6], "mean", channels, mean) ||
      !readFloats(env, argv[7], "variance", channels, variance) || !readFloats(env, argv[8], "dx", size, dx) ||
      !readFloats(env, argv[9], "dgamma", channels, dgamma) || !readFloats(env, argv[10], "dbeta", channels, dbeta)) {
    return nullptr;
  }
  return guarded(env, [&] {
    Plain &p = batchNormProblem(rows, channels, static_cast<float>(epsilon));
    auto &eng = cpuEngine();
    auto data = rowsByChannels(rows, channels), vec = channelVector(channels);
    p.backward.execute(cpuStream(), {{DNNL_ARG_DIFF_DST, memory(data, eng, dy.data)},
                                     {DNNL_ARG_SRC, memory(data, eng, x.data)},
                                     {DNNL_ARG_SCALE, memory(vec, eng, gamma.data)},
                                     // oneDNN 2.6 asks for the shift in backward too (its value does not enter
                                     // any gradient): gamma's array stands in.
                                     {DNNL_ARG_SHIFT, memory(vec, eng, gamma.data)},
                                     {DNNL_ARG_MEAN, memory(vec, eng, mean.data)},
                                     {DNNL_ARG_VARIANCE, memory(vec, eng, variance.data)},
                                     {DNNL_ARG_DIFF_SRC, memory(data, eng, dx.data)},
                                     {DNNL_ARG_DIFF_SCALE, memory(vec, eng, dgamma.data)},
                                     {DNNL_ARG_DIFF_SHIFT, memory(vec, eng, dbeta.data)}});
    cpuStream().wait();
  });
}

// matMul(dims, a, b, c): dims = Int32Array [batchA, batchB, M, K, N, transposeA, transposeB].
napi_value MatMul(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!readArgs(env, info, argv)) return nullptr;
  bool isTyped = false;
  napi_is_typedarray(env, argv[0], &isTyped);
  napi_typedarray_type type;
  size_t length = 0;
  void *data = nullptr;
  if (isTyped) napi_get_typedarray_info(env, argv[0], &type, &length, &data, nullptr, nullptr);
  if (!isTyped || type != napi_int32_array || length != 7) return throwError(env, "dims: expected an Int32Array of 7 values"), nullptr;
  const int32_t *d = static_cast<const int32_t *>(data);
  int64_t batchA = d[0], batchB = d[1], m = d[2], k = d[3], n = d[4];
  if (std::min({batchA, batchB, m, k, n}) < 1 || (batchA != batchB && batchA != 1 && batchB != 1)) {
    return throwError(env, "dims: sizes must be positive and the batches equal or one of them 1"), nullptr;
  }
  Floats a, b, c;
  if (!readFloats(env, argv[1], "a", batchA * m * k, a) || !readFloats(env, argv[2], "b", batchB * k * n, b) ||
      !readFloats(env, argv[3], "c", std::max(batchA, batchB) * m * n, c)) {
    return nullptr;
  }
  return guarded(env, [&] {
    Plain &p = matMulProblem(batchA, batchB, m, k, n, d[5] != 0, d[6] != 0);
    auto &eng = cpuEngine();
    p.forward.execute(cpuStream(), {{DNNL_ARG_SRC, memory(p.descs[0], eng, a.data)},
                                    {DNNL_ARG_WEIGHTS, memory(p.descs[1], eng, b.data)},
                                    {DNNL_ARG_DST, memory(p.descs[2], eng, c.data)}});
    cpuStream().wait();
  });
}

// preluBackward(rows, channels, x, alpha, dy, dx, dalpha): dx = dy where x > 0, alpha · dy elsewhere; dalpha
// sums x · dy over the rows where x ≤ 0.
napi_value PreluBackward(napi_env env, napi_callback_info info) {
  napi_value argv[7];
  int64_t rows, channels;
  if (!readArgs(env, info, argv) || !readDims(env, argv[0], argv[1], rows, channels)) return nullptr;
  Floats x, alpha, dy, dx, dalpha;
  size_t size = rows * channels;
  if (!readFloats(env, argv[2], "x", size, x) || !readFloats(env, argv[3], "alpha", channels, alpha) ||
      !readFloats(env, argv[4], "dy", size, dy) || !readFloats(env, argv[5], "dx", size, dx) ||
      !readFloats(env, argv[6], "dalpha", channels, dalpha)) {
    return nullptr;
  }
  return guarded(env, [&] {
    Plain &p = preluProblem(rows, channels);
    auto &eng = cpuEngine();
    auto data = rowsByChannels(rows, channels), slopes = slopeVector(channels);
    p.backward.execute(cpuStream(), {{DNNL_ARG_SRC, memory(data, eng, x.data)},
                                     {DNNL_ARG_WEIGHTS, memory(slopes, eng, alpha.data)},
                                     {DNNL_ARG_DIFF_DST, memory(data, eng, dy.data)},
                                     {DNNL_ARG_DIFF_SRC, memory(data, eng, dx.data)},
                                     {DNNL_ARG_DIFF_WEIGHTS, memory(slopes, eng, dalpha.data)}});
    cpuStream().wait();
  });
}

// maxPoolBackward(geometry, x, dy, dx): geometry as for convolutions with Cout = Cin and the window as the
// kernel; dx gets each dy at its window's maximum.
napi_value MaxPoolBackward(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  Geometry g;
  if (!readArgs(env, info, argv) || !readGeometry(env, argv[0], g)) return nullptr;
  if (g.cout != g.cin) return throwError(env, "geometry: pooling keeps the channels (Cout must equal Cin)"), nullptr;
  Floats x, dy, dx;
  if (!readFloats(env, argv[1], "x", g.srcSize(), x) || !readFloats(env, argv[2], "dy", g.dstSize(), dy) ||
      !readFloats(env, argv[3], "dx", g.srcSize(), dx)) {
    return nullptr;
  }
  return guarded(env, [&] {
    Plain &p = maxPoolProblem(g);
    auto &eng = cpuEngine();
    auto src = nhwc({g.n, g.cin, g.h, g.w}), dst = nhwc({g.n, g.cin, g.oh, g.ow});
    p.forward.execute(cpuStream(), {{DNNL_ARG_SRC, memory(src, eng, x.data)}, {DNNL_ARG_DST, p.scratch}, {DNNL_ARG_WORKSPACE, p.workspace}});
    p.backward.execute(cpuStream(), {{DNNL_ARG_DIFF_DST, memory(dst, eng, dy.data)},
                                     {DNNL_ARG_WORKSPACE, p.workspace},
                                     {DNNL_ARG_DIFF_SRC, memory(src, eng, dx.data)}});
    cpuStream().wait();
  });
}

// setThreads(n): OpenMP threads of the following calls.
napi_value SetThreads(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!readArgs(env, info, argv)) return nullptr;
  int32_t n = 0;
  napi_get_value_int32(env, argv[0], &n);
  if (n < 1) return throwError(env, "threads: expected a positive integer"), nullptr;
  omp_set_num_threads(n);
  return nullptr;
}

// info(): { version, threads, cachedProblems, calls }
napi_value Info(napi_env env, napi_callback_info) {
  napi_value out, value;
  napi_create_object(env, &out);
  const dnnl_version_t *v = dnnl_version();
  std::string version = std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
  napi_create_string_utf8(env, version.c_str(), version.size(), &value);
  napi_set_named_property(env, out, "version", value);
  napi_create_int32(env, omp_get_max_threads(), &value);
  napi_set_named_property(env, out, "threads", value);
  napi_create_int32(env, static_cast<int32_t>(cache.size() + plainCache.size()), &value);
  napi_set_named_property(env, out, "cachedProblems", value);
  napi_create_double(env, calls, &value);
  napi_set_named_property(env, out, "calls", value);
  return out;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"convForward", nullptr, ConvForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"convBackwardData", nullptr, ConvBackwardData, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"convBackwardFilter", nullptr, ConvBackwardFilter, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormForward", nullptr, BatchNormForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormBackward", nullptr, BatchNormBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"matMul", nullptr, MatMul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"preluBackward", nullptr, PreluBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolBackward", nullptr, MaxPoolBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
