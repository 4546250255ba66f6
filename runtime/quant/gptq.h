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

namespace hoshi::quant {

// Sums of x x^T over the im2col rows of a convolution's input ("same"
// output size, zero padding), in double. Column k of a row is
// c * kernelY * kernelX + ky * kernelX + kx: the inner order of a
// ConvDesc's OIHW weights.
class Im2colMoments {
 public:
  Im2colMoments(int channels, int kernelY, int kernelX);
  // nhwc: [batch][ySize][xSize][channels], batch * ySize * xSize rows.
  void add(const float* nhwc, int batch, int ySize, int xSize);
  int columns() const { return k_; }
  size_t rows() const { return rows_; }
  // E[x x^T]: columns() x columns(), row-major (empty before any row).
  std::vector<double> secondMoment() const;

 private:
  int channels_, kernelY_, kernelX_, k_;
  size_t rows_ = 0;
  std::vector<double> sum_;  // lower triangle filled, column-major k_ x k_
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
nn::QuantizedWeights gptqConvWeights(const nn::ConvDesc& conv, const std::vector<double>& h,
                                     const GptqOptions& options = {});

// E[|(W - weights) x|^2] summed over output channels, for inputs with
// second moment h: the output error weights (OIHW like conv's) add.
double convOutputError(const nn::ConvDesc& conv, const std::vector<float>& weights,
                       const std::vector<double>& h);

}  // namespace hoshi::quant
