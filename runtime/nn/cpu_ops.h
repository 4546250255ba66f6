#pragma once

// Layer arithmetic every CPU backend (eigen, xnnpack) does the same way, on
// [rows][channels] float tensors: norm + activation, bias + activation, a
// per-entry vector added at every board point, and KataGo's global pooling.

#include <cstddef>

#include "nn/model.h"

namespace hoshi::nn {

// out[r][c] = act(in[r][c] * scale[c] + bias[c]) over rows of n.channels
// (in place allowed).
void normActRows(const NormActDesc& n, const float* in, float* out, size_t rows);

// data[b][c] = act(data[b][c] + bias[c]) for a [batch][bias.channels] block.
void addBias(const BiasDesc& bias, float* data, int batch, Activation act);

// plane[b][p][c] += perBatch[b][c].
void addPerPosition(float* plane, const float* perBatch, int batch, int area, int ch);

// KataGo's pooled features of one [area][ch] plane into out[3 * ch]: the
// mean, the mean scaled by (width - 14) / 10, then the max (trunk, policy)
// or a quadratic width term (value head).
void poolPlane(const float* in, int area, int ch, bool valueHead, float* out);
// poolPlane of each entry of a [batch][area][ch] block into [batch][3 * ch].
void poolBatch(const float* in, int batch, int area, int ch, bool valueHead, float* out);

}  // namespace hoshi::nn
