#pragma once

// GPTQ-style INT8 weight rounding (the idea of Frantar et al. 2022, "GPTQ:
// Accurate Post-Training Quantization for Generative Pre-trained
// Transformers"). Round-to-nearest makes each weight as close as it can be;
// what matters is the convolution's output on real inputs. GPTQ rounds the
// input columns of the weight matrix one at a time and moves each column's
// rounding error onto the columns not yet rounded, through the inverse of
// H = E[x x^T] of the convolution's im2col input rows, so that correlated
// inputs compensate each other's errors.

#include <cstddef>
#include <vector>

#include "nn/model.h"
#include "nn/quant.h"

namespace hoshi::nn {

// Sums of x x^T over the im2col rows of a convolution's input ("same"
// output size, zero padding), in double. Column k of a row is
// c * kernelY * kernelX + ky * kernelX + kx: the inner order of a
// ConvDesc's OIHW weights.
class Im2colMoments {
 public:
  Im2colMoments(int channels, int kernelY, int kernelX);
  // nhwc: [batch][ySize][xSize][channels], batch * ySize * xSize rows.
  // reference (same shape, optional): the inputs the convolution should
  // have seen (FP32 where nhwc are the INT8 net's); adds to crossMoment.
  void add(const float* nhwc, int batch, int ySize, int xSize, const float* reference = nullptr);
  int columns() const { return k_; }
  size_t rows() const { return rows_; }
  // E[x x^T]: columns() x columns(), row-major (empty before any row).
  std::vector<double> secondMoment() const;
  // E[reference x^T], row-major (empty without references).
  std::vector<double> crossMoment() const;

 private:
  void im2col(const float* nhwc, int batch, int ySize, int xSize, float* out) const;
  int channels_, kernelY_, kernelX_, k_;
  size_t rows_ = 0;
  std::vector<double> sum_;  // lower triangle filled, column-major k_ x k_
  std::vector<double> cross_;
};

struct GptqOptions {
  double damping = 0.01;  // added to H's diagonal, as a fraction of its mean
  bool actOrder = true;   // round the columns with the largest E[x^2] first
};

// INT8 weights of conv with the scales of quantizeConvWeights(conv), the
// values chosen GPTQ-style for h (its inputs' E[x x^T], K x K row-major, K =
// inChannels * kernelY * kernelX). Each output channel's largest weight
// stays at +-127, so quantizeConvWeights of the dequantized result gives
// these values back. Falls back to round-to-nearest where h is all zero.
QuantizedWeights gptqConvWeights(const ConvDesc& conv, const std::vector<double>& h,
                                 const GptqOptions& options = {});

// The FP32 weights W' that best map the inputs x the convolution will see
// to its FP32 outputs W r on the inputs r it should have seen:
// min E|W r - W' x|^2 + l |W' - W|^2, l = damping * mean diag h;
// h = E[x x^T], cross = E[r x^T] (Im2colMoments with references).
std::vector<float> compensatedWeights(const ConvDesc& conv, const std::vector<double>& h,
                                      const std::vector<double>& cross, double damping = 0.01);

// E[|(W - weights) x|^2] summed over output channels, for inputs with
// second moment h: the output error weights (OIHW like conv's) add.
double convOutputError(const ConvDesc& conv, const std::vector<float>& weights,
                       const std::vector<double>& h);

// E|W r - V x|^2 for weights v (OIHW) from hr = E[r r^T], cross = E[r x^T]
// and h = E[x x^T]: the output error against the FP32 net's outputs.
double mappedOutputError(const ConvDesc& conv, const std::vector<float>& v,
                         const std::vector<double>& hr, const std::vector<double>& cross,
                         const std::vector<double>& h);

}  // namespace hoshi::nn
